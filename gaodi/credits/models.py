"""学分银行 (issue 9): certificate schemes and the catalogue of recognised outcomes (认证单元) as
data, learners (ID number stored encrypted, shown masked), their learning outcomes, recognition
cases with their steps as rows, conversion rule-set versions, the credit ledger, qualifications,
the schools' signing keys and the credentials they issued, and holders' share links.
No logic here: every write goes through services.py, the rules are in the pure modules."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaodi.orgs.models import OrgUnit
from gaodi.orgs.roots import Rooted
from gaodi.specialties.models import Specialty
from gaodi.versioning import VersionedParameters

CREDITS = {"max_digits": 6, "decimal_places": 1}


class Scheme(models.Model):
    """A certificate scheme and its level scale (lowest first): legacy X certificates, 人社 skill
    levels, courses, training certificates, awards. Nothing hard-codes "1+X"."""

    code = models.CharField(_("体系编号"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    levels = models.JSONField(_("等级（由低到高）"))
    issuers = models.JSONField(_("发证机构名单"))
    valid_from = models.DateField(_("认可起始日"))
    retired_on = models.DateField(_("停止认可日"), null=True, blank=True)
    source = models.CharField(_("依据"), max_length=300)

    class Meta:
        verbose_name = _("证书体系")
        verbose_name_plural = _("证书体系")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class OutcomeUnit(models.Model):
    """An entry of the catalogue of recognised outcomes (认证单元)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="units")
    code = models.CharField(_("单元编号"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    credits = models.DecimalField(_("学分"), null=True, blank=True, **CREDITS)
    effective_from = models.DateField(_("生效日"))
    effective_to = models.DateField(_("失效日"), null=True, blank=True)
    source = models.CharField(_("依据"), max_length=300)

    class Meta:
        verbose_name = _("认证单元")
        verbose_name_plural = _("认证单元")
        ordering = ["scheme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="credits_unit_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Qualification(models.Model):
    """What a learner accumulates toward: units (courses, mandatory or optional) as JSON."""

    code = models.CharField(_("资格编号"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    specialty = models.ForeignKey(
        Specialty, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    units = models.JSONField(_("课程单元"))
    total_credits = models.DecimalField(_("总学分"), **CREDITS)
    optional_credits = models.DecimalField(_("选修学分"), default=0, **CREDITS)
    credit_years = models.PositiveIntegerField(_("学分保留年限"), default=5)
    # the most credits conversion may bring to this qualification (None = no cap)
    max_converted = models.DecimalField(_("证书转换学分上限"), null=True, blank=True, **CREDITS)
    source = models.CharField(_("依据"), max_length=300)

    class Meta:
        verbose_name = _("资格")
        verbose_name_plural = _("资格")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Learner(Rooted):
    """A learner account. The ID number is stored encrypted (Fernet, key derived from the site
    key) with a keyed fingerprint to find duplicates; pages show `masked_id` only."""

    ROOT_FROM = "school"

    name = models.CharField(_("姓名"), max_length=50)
    id_encrypted = models.TextField(_("身份证号（加密）"))
    id_fingerprint = models.CharField(_("身份证号指纹"), max_length=64, db_index=True)
    masked_id = models.CharField(_("身份证号（脱敏）"), max_length=18)
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    specialty = models.ForeignKey(
        Specialty, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    qualification = models.ForeignKey(
        Qualification, null=True, blank=True, on_delete=models.PROTECT, related_name="learners"
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="learner",
        verbose_name=_("学习者本人账号"),
    )
    urn = models.UUIDField(_("学习者标识"), default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(_("来源"), max_length=100)

    class Meta:
        verbose_name = _("学习者")
        verbose_name_plural = _("学习者")
        ordering = ["school", "name", "pk"]

    def __str__(self) -> str:
        return str(_("{name}（{masked}）").format(name=self.name, masked=self.masked_id))


class LearningOutcome(Rooted):
    """A certificate (or course, award…) held by a learner. Unique: scheme + number + holder."""

    ROOT_FROM = "learner__root"

    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="outcomes")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(OutcomeUnit, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("等级"), max_length=20)
    number = models.CharField(_("证书编号"), max_length=60)
    issuer = models.CharField(_("发证机构"), max_length=100)
    issued_on = models.DateField(_("发证日期"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    evidence_sha256 = models.CharField(_("佐证文件 SHA-256"), max_length=64, blank=True)
    source = models.CharField(_("来源"), max_length=100)

    class Meta:
        verbose_name = _("学习成果")
        verbose_name_plural = _("学习成果")
        ordering = ["learner", "issued_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "number", "learner", "root"], name="credits_outcome_unique"
            )
        ]

    def __str__(self) -> str:
        return str(
            _("{unit}（{level}）{number}").format(
                unit=self.unit.name, level=self.level, number=self.number
            )
        )


class RecognitionCase(Rooted):
    """The recognition (认定) of one outcome; its state is recognition.state_of(its steps)."""

    ROOT_FROM = "outcome__root"

    outcome = models.OneToOneField(LearningOutcome, on_delete=models.PROTECT, related_name="case")
    opened_on = models.DateField(_("提交日期"))
    state = models.CharField(_("状态（由步骤推出）"), max_length=20)

    class Meta:
        verbose_name = _("认定案件")
        verbose_name_plural = _("认定案件")
        ordering = ["opened_on", "pk"]

    def __str__(self) -> str:
        return str(self.outcome)


class RecognitionStep(Rooted):
    """One step of a case, never edited: who (user id), as which role, when, why."""

    ROOT_FROM = "case__root"

    case = models.ForeignKey(RecognitionCase, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField(_("步骤"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_key = models.CharField(_("办理人标识"), max_length=60)
    actor_name = models.CharField(_("办理人"), max_length=150)
    role = models.CharField(_("角色"), max_length=20)
    on = models.DateField(_("日期"))
    outcome = models.CharField(_("结论"), max_length=20, blank=True)
    reason = models.CharField(_("理由"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("认定步骤")
        verbose_name_plural = _("认定步骤")
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.on}"


class ConversionRuleSetVersion(VersionedParameters):
    """A stored version of a conversion rule set (conversion.RuleSet.to_json() in `data`)."""

    owner = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(_("规则（JSON）"))

    class Meta:
        verbose_name = _("学分转换规则版本")
        verbose_name_plural = _("学分转换规则版本")
        ordering = ["code", "version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="credits_rule_set_unique")
        ]


class Conversion(Rooted):
    """One outcome converted (OneToOne: the same outcome never converts twice), with the
    rule-set version used and the working."""

    ROOT_FROM = "learner__root"

    outcome = models.OneToOneField(
        LearningOutcome, on_delete=models.PROTECT, related_name="conversion"
    )
    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="conversions")
    rule_set_code = models.CharField(_("规则集"), max_length=60)
    rule_set_version = models.PositiveIntegerField(_("规则集版本"))
    as_of = models.DateField(_("转换日期"))
    credits = models.DecimalField(_("学分"), **CREDITS)
    working = models.JSONField(_("计算过程"))

    class Meta:
        verbose_name = _("学分转换")
        verbose_name_plural = _("学分转换")
        ordering = ["learner", "as_of", "pk"]

    def __str__(self) -> str:
        return f"{self.outcome_id} → {self.credits}"


class LedgerEntry(Rooted):
    """Credits on a learner's ledger: a course taken, or converted (`conversion`)."""

    ROOT_FROM = "learner__root"

    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="ledger")
    course = models.CharField(_("课程编号"), max_length=40)
    course_name = models.CharField(_("课程"), max_length=100)
    credits = models.DecimalField(_("学分"), **CREDITS)
    earned_on = models.DateField(_("取得日期"))
    expires_on = models.DateField(_("失效日期"), null=True, blank=True)
    conversion = models.ForeignKey(
        Conversion, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("学分记录")
        verbose_name_plural = _("学分记录")
        ordering = ["learner", "earned_on", "pk"]

    def __str__(self) -> str:
        return f"{self.course_name} {self.credits}"


class IssuerKey(models.Model):
    """A school's signing key: the public JWK is published, the private key stored encrypted.
    A retired key stays published so that what it signed still verifies."""

    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    kid = models.CharField(_("密钥标识"), max_length=64, unique=True)
    algorithm = models.CharField(_("算法"), max_length=10)
    public_jwk = models.JSONField(_("公钥（JWK）"))
    private_encrypted = models.TextField(_("私钥（加密）"))
    active_from = models.DateTimeField(_("启用时间"))
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("签名密钥")
        verbose_name_plural = _("签名密钥")
        ordering = ["school", "active_from", "pk"]

    def __str__(self) -> str:
        return self.kid


class IssuedCredential(Rooted):
    """A signed credential: an OB 3.0 AchievementCredential of one outcome or a CLR 2.0
    transcript (a signed credential of its own, holding the learner's achievement credentials);
    `status_index` is its bit in the school's status list, an unused one chosen at random.
    Its root is its issuer's: the school's status list reads one province."""

    ROOT_FROM = "school"

    class Kind(models.TextChoices):
        ACHIEVEMENT = "achievement", _("成果凭证")
        TRANSCRIPT = "transcript", _("学习档案")

    uid = models.UUIDField(_("凭证编号"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="credentials")
    outcome = models.ForeignKey(
        LearningOutcome, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    key = models.ForeignKey(IssuerKey, on_delete=models.PROTECT, related_name="+")
    status_index = models.PositiveIntegerField(_("状态序号"))
    token = models.TextField(_("VC-JWT"))
    content_hash = models.CharField(_("内容哈希"), max_length=80)
    issued_at = models.DateTimeField(_("签发时间"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_reason = models.CharField(_("撤销理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("已签发凭证")
        verbose_name_plural = _("已签发凭证")
        ordering = ["-issued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "status_index", "root"], name="credits_status_index_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.uid}"


class ShareLink(models.Model):
    """A holder's link to one credential, valid until `expires_at`."""

    credential = models.ForeignKey(
        IssuedCredential, on_delete=models.PROTECT, related_name="share_links"
    )
    token = models.CharField(_("链接令牌"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("到期时间"))
    created_at = models.DateTimeField(_("创建时间"))
    withdrawn_at = models.DateTimeField(_("收回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("分享链接")
        verbose_name_plural = _("分享链接")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.credential} → {self.expires_at:%Y-%m-%d}"


class ExamSitting(Rooted):
    """考核批次: one assessment of one 认证单元 at one level, at one school on one day, with the
    candidates and passes the assessment organisation reported (pass_rates.py)."""

    ROOT_FROM = "school"

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="sittings")
    unit = models.ForeignKey(OutcomeUnit, on_delete=models.PROTECT, related_name="sittings")
    level = models.CharField(_("等级"), max_length=20)
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("考核日期"))
    candidates = models.PositiveIntegerField(_("参加考核人数"))
    passed = models.PositiveIntegerField(_("通过人数"))
    source = models.CharField(_("来源"), max_length=100)

    class Meta:
        verbose_name = _("考核批次")
        verbose_name_plural = _("考核批次")
        ordering = ["school", "held_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "level", "school", "held_on", "root"], name="credits_sitting_unique"
            )
        ]

    def __str__(self) -> str:
        return _("{unit}（{level}）{day}").format(
            unit=self.unit.name, level=self.level, day=self.held_on
        )
