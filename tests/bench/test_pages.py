"""The pages benchmark's N+1 detector (bench/pages.py) on queries whose answer is known."""

from __future__ import annotations

from tests.bench import bench_module

pages = bench_module("pages.py")

ONE_UNIT = 'SELECT "name" FROM "credits_outcomeunit" WHERE "id" = {pk} LIMIT 21'
BY_NAME = 'SELECT "id" FROM "orgs_orgunit" WHERE "name" = \'{name}\''


def test_the_same_query_for_different_rows_has_one_shape() -> None:
    loop = [ONE_UNIT.format(pk=pk) for pk in (3, 14, 159)]
    assert len({pages.query_shape(sql) for sql in loop}) == 1
    names = [BY_NAME.format(name=n) for n in ("茌平区", "东昌府区", "O''Brien")]
    assert len({pages.query_shape(sql) for sql in names}) == 1


def test_in_lists_of_any_length_have_one_shape() -> None:
    short = 'SELECT 1 FROM "t" WHERE "id" IN (1, 2)'
    long = 'SELECT 1 FROM "t" WHERE "id" IN (1, 2, 3, 4, 5, 6)'
    assert pages.query_shape(short) == pages.query_shape(long)


def test_different_queries_keep_different_shapes() -> None:
    assert pages.query_shape(ONE_UNIT.format(pk=1)) != pages.query_shape(BY_NAME.format(name="x"))


def test_most_repeated_counts_the_loop_not_the_rest() -> None:
    loop = [ONE_UNIT.format(pk=pk) for pk in range(1, 8)]
    others = [BY_NAME.format(name="茌平区"), 'SELECT 1 FROM "django_session"']
    count, shape = pages.most_repeated(others[:1] + loop + others[1:])
    assert count == len(loop)
    assert shape == pages.query_shape(loop[0])
    assert pages.most_repeated([]) == (0, "")


def test_chinese_takes_two_columns() -> None:
    assert pages._width("GET 学分银行") == len("GET ") + 2 * len("学分银行")
