import psycopg
from tests.test_consumers import *  # noqa
from tests.test_consumers import new_class, join, play_socket

def count():
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres") as c:
        return c.execute("select count(*) from pg_stat_activity where datname='test_crisis_table'").fetchone()[0]

async def test_probe():
    code = await new_class()
    keys = [(await join(code, f"S{i}"))[1] for i in range(6)]
    print("after joins", count())
    socks = []
    for k in keys:
        s, _ = await play_socket(k)
        socks.append(s)
    print("after 6 sockets", count())
    for s in socks:
        await s.send_json_to({"type": "sync"}); await s.receive_json_from()
    print("after syncs", count())
    for s in socks:
        await s.disconnect()
    print("after disconnect", count())
