"""合成数据 beyond the indicators, at about 1 % of the synthetic nation: every 100th school
(114 of 11,400) gets specialty offerings, social-training records, learners and course
credits, made up and labelled 合成数据 (learners are called 示例学员…).

Each sampled school, from its own random generator (``seed``, a topic and the school's code,
so the same seed gives the same rows):

- 专业点: 3–5 specialties of the 2021 catalogue at the school's level, each year of the run
  (``specialties.services.record_offering``: its checks, one change record each): 在校生
  80–400 growing 0–8 % a year, 招生 a third of them, 招生计划 at least 招生, 毕业生 from the
  second year, 就业率 85–98 %;
- 社会培训: two finished programmes a year (checked by ``training.services.training_problems``,
  written in one insert, one change record each, as ``record_training`` records; the
  programmes that would end after today are left out, as that service refuses them; the
  year results, which ``record_training`` recomputes, are not computed here);
- learners: 10 (``credits.services.register_learner``: the ID number checked, encrypted,
  masked). Their ID numbers are made up: the school's county code (a synthetic prefix no
  real place has), a birth date 2003–2006 and a sequence, with a valid GB 11643 check digit;
- credits: 2–4 courses each (``credits.services.record_course``, 0.5–6 学分, earned on 1 July
  of a year of the run no later than today).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from gaodi.audit.services import record_changes
from gaodi.credits import identity
from gaodi.credits.services import record_course, register_learner
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import Actor
from gaodi.plans.models import Plan
from gaodi.specialties.catalogue import CATALOGUE_2021
from gaodi.specialties.models import Specialty
from gaodi.specialties.services import Numbers, record_offering, seed_catalogue, snapshot
from gaodi.today import today
from gaodi.training import conversion
from gaodi.training.models import TrainingRecord
from gaodi.training.services import TrainingInput, training_problems

from .synth import SOURCE, SynthError

SAMPLE_EVERY = 100  # about 1 % of the schools
LEARNERS_PER_SCHOOL = 10
PROGRAMMES = ("示例电工技能培训", "示例养老护理员培训", "示例电子商务实务培训", "示例农机维修培训")
COURSES = (("S101", "示例专业基础课"), ("S201", "示例专业核心课"), ("S301", "示例实训课"))
COURSES += (("S401", "示例公共基础课"),)


def sampled(schools: Iterable[Any]) -> list[Any]:
    """The schools that get the extras: every 100th (its ``index`` a multiple of 100)."""
    return [s for s in schools if s.index % SAMPLE_EVERY == 0]


def synthesize_extras(
    tree: list[Any],
    units: dict[str, OrgUnit],
    *,
    plan: Plan,
    seed: int,
    years: list[int],
    actor: Actor,
) -> dict[str, int]:
    """Offerings, training records, learners and credits of the sampled schools; counts."""
    seed_catalogue(actor=actor)
    levels = {
        level: list(
            Specialty.objects.filter(catalogue=CATALOGUE_2021, level=level).order_by("name")
        )
        for level in ("中职", "高职")
    }
    counts = dict.fromkeys(["专业点", "社会培训记录", "学习者", "学分记录"], 0)
    trainings: list[TrainingRecord] = []
    for school in sampled(u for u in tree if u.kind == "school"):
        unit = units[school.code]
        catalogue = levels["高职" if school.higher else "中职"] or levels["中职"]
        counts["专业点"] += _offerings(unit, catalogue, seed, years, actor)
        trainings += _trainings(plan, unit, seed, years)
        learners, courses = _learners(unit, seed, years, actor)
        counts["学习者"] += learners
        counts["学分记录"] += courses
    made = TrainingRecord.objects.bulk_create(trainings, batch_size=1000)
    record_changes([(r, "create", None, snapshot(r), "社会培训记录") for r in made], actor=actor)
    counts["社会培训记录"] = len(made)
    return counts


def _rng(seed: int, topic: str, code: str) -> random.Random:
    return random.Random(f"{seed}/{topic}/{code}")


def _offerings(
    school: OrgUnit, catalogue: list[Specialty], seed: int, years: list[int], actor: Actor
) -> int:
    rng = _rng(seed, "offerings", school.code)
    chosen = rng.sample(catalogue, min(len(catalogue), rng.randint(3, 5)))
    count = 0
    for specialty in chosen:
        students = rng.randint(80, 400)
        for k, year in enumerate(years):
            if k:
                students += students * rng.randint(0, 8) // 100
            enrolment = students // 3
            numbers = Numbers(
                planned_enrolment=enrolment + rng.randint(0, 20),
                enrolment=enrolment,
                students=students,
                graduates=students * 2 // 7 if k else None,
                employment_rate=Decimal(rng.randint(850, 980)) / 10,
            )
            record_offering(school, specialty, year, numbers, source=SOURCE, actor=actor)
            count += 1
    return count


def _trainings(plan: Plan, school: OrgUnit, seed: int, years: list[int]) -> list[TrainingRecord]:
    rng = _rng(seed, "training", school.code)
    found = []
    for year in years:
        for _k in range(2):
            start = dt.date(year, rng.randint(1, 9), rng.randint(1, 28))
            end = start + dt.timedelta(days=rng.randint(2, 30))
            participants = rng.randint(30, 400)
            span = (end - start).days + 1
            days = Decimal(participants * span * rng.randint(50, 100) // 10) / 10
            given = TrainingInput(
                programme=rng.choice(PROGRAMMES),
                start=start,
                end=end,
                participants=participants,
                person_days=days,
                target_groups=tuple(rng.sample(conversion.TARGET_GROUPS, rng.randint(0, 2))),
                subsidised=rng.random() < 0.5,
                income=rng.randint(0, 500) * 1000,
                source=SOURCE,
            )
            if end > today():
                continue  # not finished yet: record_training refuses it
            problems = training_problems(given)
            if problems:
                raise SynthError("；".join(problems))
            found.append(
                TrainingRecord(
                    plan=plan,
                    school=school,
                    programme=given.programme,
                    start=start,
                    end=end,
                    participants=participants,
                    person_days=days,
                    target_groups=[g for g in conversion.TARGET_GROUPS if g in given.target_groups],
                    subsidised=given.subsidised,
                    income=given.income,
                    source=SOURCE,
                )
            )
    return found


def synthetic_id_number(county_code: str, birth: dt.date, sequence: int) -> str:
    """A made-up ID number with a valid GB 11643 check digit, in a synthetic county."""
    body = f"{county_code}{birth:%Y%m%d}{sequence % 1000:03d}"
    digits = zip(body, identity.WEIGHTS, strict=True)
    return body + identity.CHECK[sum(int(d) * w for d, w in digits) % 11]


def _learners(school: OrgUnit, seed: int, years: list[int], actor: Actor) -> tuple[int, int]:
    rng = _rng(seed, "learners", school.code)
    county = school.code[:6]
    number = int(school.code[6:])  # the school's place in its county: IDs do not collide
    courses = 0
    for k in range(LEARNERS_PER_SCHOOL):
        birth = dt.date(rng.randint(2003, 2006), rng.randint(1, 12), rng.randint(1, 28))
        learner = register_learner(
            school,
            f"示例学员{school.code[-5:]}{k + 1:02d}",
            synthetic_id_number(county, birth, number * LEARNERS_PER_SCHOOL + k),
            source=SOURCE,
            actor=actor,
        )
        done = [y for y in years if dt.date(y, 7, 1) <= today()]
        for course, name in rng.sample(COURSES, rng.randint(2, 4)):
            if not done:
                break
            record_course(
                learner,
                course,
                name,
                Decimal(rng.randint(1, 12)) / 2,
                earned_on=dt.date(rng.choice(done), 7, 1),
                expires_on=None,
                note=SOURCE,
                actor=actor,
            )
            courses += 1
    return LEARNERS_PER_SCHOOL, courses
