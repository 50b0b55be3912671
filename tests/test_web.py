"""The web UI's parts without a browser: the URL state, the body marks, the chart periods, and the
guards (password, proxy header, CSRF, binding), over HTTP to the real server and the real
Elasticsearch. The pages themselves are driven in Chromium in tests/web/."""

from __future__ import annotations

import base64
import re
import socket
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from starlette.requests import Request

from indexer.app import PressWatch
from indexer.errors import ConfigurationError, NotFound, QueryError
from indexer.search import highlight_parts
from indexer.web.app import highlight, safe_url
from indexer.web.charts import period_end
from indexer.web.marks import mark_body
from indexer.web.params import SearchState
from indexer.web.security import Access, is_trusted
from indexer.web.server import check_exposure, web_server


def state_of(url: str) -> SearchState:
    return SearchState.from_params(parse_qs(urlsplit(url).query))


# -- the URL state ---------------------------------------------------------------------------------
def test_the_search_state_round_trips_through_the_url():
    url = "/?q=oil+price&person=Ali+Khamenei&person=Ismail+Haniyeh&org=Hamas&place=Gaza&outlet=Reuters&speaker=Ali+Khamenei" \
          "&cited=Tasnim+News+Agency&from=2017-01-01&to=2017-06-30&page=3"
    state = state_of(url)
    assert state.text == "oil price" and state.page == 3
    assert state.filters["person"] == ("Ali Khamenei", "Ismail Haniyeh")
    assert state.url() == url
    query = state.query()
    assert query.persons == ("Ali Khamenei", "Ismail Haniyeh") and query.organizations == ("Hamas",)
    assert query.locations == ("Gaza",) and query.cited_outlets == ("Tasnim News Agency",)
    assert query.speakers == ("Ali Khamenei",) and query.outlets == ("Reuters",)
    assert (query.date_from, query.date_to, query.offset) == ("2017-01-01", "2017-06-30", 40)


def test_confidence_and_longer_facets_are_in_the_url_too():
    state = state_of("/?speaker=Ali+Khamenei&min-confidence=0.7&more=person&more=speaker&more=bogus")
    assert state.min_confidence == 0.7 and state.more == ("person", "speaker")
    assert state.url() == "/?speaker=Ali+Khamenei&min-confidence=0.7&more=person&more=speaker"
    query = state.query()
    assert query.min_confidence == 0.7 and query.expanded == ("persons", "speakers")
    assert state.collapsing("person").url() == "/?speaker=Ali+Khamenei&min-confidence=0.7&more=speaker"
    assert ("Quotes", "confidence ≥ 0.7") in [(label, value) for label, value, _ in state.chips()]
    with pytest.raises(QueryError, match="min-confidence='2'"):
        state_of("/?min-confidence=2")


def test_links_add_and_remove_one_filter_and_go_back_to_page_one():
    state = state_of("/?person=A&page=4")
    added = state.adding("person", "B")
    assert added.filters["person"] == ("A", "B") and added.page == 1
    assert state.adding("person", "A").filters["person"] == ("A",)  # a value is never doubled
    assert state.removing("person", "A").url() == "/"
    chips = state_of("/?q=x&org=Hamas&from=2017-01-01").chips()
    assert [(label, value) for label, value, _ in chips] == [("Organisations", "Hamas"), ("Published", "2017-01-01 – …"),
                                                             ("Text", "x")]
    assert chips[0][2] == "/?q=x&from=2017-01-01"


@pytest.mark.parametrize("url, message", [("/?from=2017-13", "from='2017-13'"), ("/?to=yesterday", "to='yesterday'"),
                                          ("/?from=2017-02-30", "from='2017-02-30': no such day"),
                                          ("/?from=２０１７-01-01", "a date is written YYYY-MM-DD"),
                                          ("/?from=2018-01-01&to=2017-01-01", "is after to=2017-01-01"),
                                          ("/?page=x", "page='x'"), ("/?page=0", "page=0")])
def test_a_malformed_parameter_says_which(url, message):
    with pytest.raises(QueryError, match=re.escape(message)):
        state_of(url)


# -- escaping -----------------------------------------------------------------------------------------
def test_a_highlight_marks_only_the_matched_words_and_escapes_the_rest():
    # as Elasticsearch's html encoder sends it: the article's own "<em>" and tags escaped
    fragment = "a &lt;em&gt;literal&lt;&#x2F;em&gt; tag, &lt;b onclick=x&gt;bold&lt;&#x2F;b&gt;, then <em>oil</em> prices"
    html = str(highlight(fragment))
    assert html == "a &lt;em&gt;literal&lt;/em&gt; tag, &lt;b onclick=x&gt;bold&lt;/b&gt;, then <mark>oil</mark> prices"
    assert str(highlight("<script>x</script> <em>y</em>")) == "&lt;script&gt;x&lt;/script&gt; <mark>y</mark>"


def test_a_highlight_is_read_back_as_text_pieces():
    assert highlight_parts("C:\\<em>Users</em> &amp; \x01 <em>x</em>") == [
        ("C:\\", False), ("Users", True), (" & \x01 ", False), ("x", True)]
    assert str(highlight("a \x00 <em>b</em>")) == "a \x00 <mark>b</mark>"


@pytest.mark.parametrize("url, shown", [("https://example.org/a?b=1", "https://example.org/a?b=1"),
                                        ("http://example.org", "http://example.org"),
                                        ("javascript:alert(1)", None), ("JaVaScRiPt:alert(1)", None),
                                        ("data:text/html,<script>x</script>", None), ("//evil.example", None),
                                        (None, None)])
def test_only_http_links_are_made(url, shown):
    assert safe_url(url) == shown


# -- marks and charts --------------------------------------------------------------------------------
def test_the_body_is_cut_into_quotes_and_mentions_that_join_back_to_the_text():
    body = 'Ali Khamenei said "Hamas is strong" in Tehran. Khamenei left. <b>Tehran</b> replied "no".'
    quote_start = body.index("Hamas is strong")
    document = {"body": body, "entities": [
        {"name": "Ali Khamenei", "label": "PERSON", "aliases": ["Khamenei"], "mentions": 2},
        {"name": "Hamas", "label": "ORG", "mentions": 1},
        {"name": "Tehran", "label": "LOC", "mentions": 2},
        {"name": "Getty Images", "label": "ORG", "dropped": True, "mentions": 1},
    ], "quotes": [
        {"text": "Hamas is strong", "start": quote_start, "end": quote_start + 15, "speaker": "Ali Khamenei",
         "field": "body"},
        {"text": "Hamas", "start": quote_start, "end": quote_start + 5, "speaker": "X", "field": "body"},  # overlaps
        {"text": "no", "start": body.index('"no"') + 1, "end": body.index('"no"') + 3, "speaker": None, "field": "body"},
        {"text": "title words", "start": 0, "end": 11, "speaker": "Y", "field": "title"},
    ]}
    blocks = mark_body(document)
    assert "".join(p.text for b in blocks for p in b.pieces) == body
    quoted = [(b.quote["speaker"], "".join(p.text for p in b.pieces)) for b in blocks if b.quote]
    assert quoted == [("Ali Khamenei", "Hamas is strong"), (None, "no")]
    mentions = [(p.text, p.entity["name"]) for b in blocks for p in b.pieces if p.entity]
    assert mentions == [("Ali Khamenei", "Ali Khamenei"), ("Hamas", "Hamas"), ("Tehran", "Tehran"),
                        ("Khamenei", "Ali Khamenei"), ("Tehran", "Tehran")]


@pytest.mark.parametrize("start, interval, end", [("2017-01-01", "1M", "2017-01-31"), ("2016-02-01", "1M", "2016-02-29"),
                                                   ("2017-01-02", "1w", "2017-01-08"), ("2017-04-01", "1q", "2017-06-30"),
                                                   ("2017-01-01", "1y", "2017-12-31"), ("2017-05-05", "1d", "2017-05-05")])
def test_a_bars_period_ends_on_its_last_day(start, interval, end):
    assert period_end(start, interval) == end


# -- guards, over HTTP to the real server ---------------------------------------------------------------
@pytest.fixture
def serve(settings):
    servers = []

    def start(access: Access) -> str:
        web = web_server(PressWatch(settings), host="127.0.0.1", port=0, access=access).start()
        assert web.wait_started()
        servers.append(web)
        return web.url

    yield start
    for web in servers:
        web.stop()


def basic(user: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def test_an_open_ui_escapes_and_sends_its_guard_headers(serve, settings):
    url = serve(Access())
    response = httpx.get(f"{url}/?q=<script>x</script>")
    assert response.status_code == 200 and "No articles indexed yet" in response.text  # a fresh index
    assert "<script>x" not in response.text and "&lt;script&gt;x&lt;/script&gt;" in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert "httponly" in response.headers["set-cookie"].lower() and "samesite=strict" in response.headers["set-cookie"].lower()


def test_a_password_is_asked_for_and_checked(serve):
    url = serve(Access(password="s3cret"))
    refused = httpx.get(f"{url}/status")
    assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Basic")
    assert httpx.get(f"{url}/status", headers=basic("ann", "wrong")).status_code == 401
    allowed = httpx.get(f"{url}/status", headers=basic("ann", "s3cret"))
    assert allowed.status_code == 200 and "ann" in allowed.text
    assert httpx.get(f"{url}/static/presswatch.css").status_code == 401  # nothing is served without it


def test_an_open_ui_answers_only_to_this_machines_names(serve):
    url = serve(Access())
    port = urlsplit(url).port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
        assert httpx.get(f"{url}/status", headers={"Host": host}).status_code == 200, host
    rebound = httpx.get(f"{url}/status", headers={"Host": f"evil.example:{port}"})  # DNS rebinding
    assert rebound.status_code == 403 and "evil.example" in rebound.text and "csrf" not in rebound.text
    behind = serve(Access(password="pw"))  # with a password, any name (the server's own, behind a proxy)
    assert httpx.get(f"{behind}/status", headers={"Host": "news.example", **basic("a", "pw")}).status_code == 200


def request_from(peer: str, headers: dict) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "headers": [
        (k.lower().encode(), v.encode()) for k, v in headers.items()], "client": (peer, 50000)})


def test_the_user_header_counts_only_from_a_trusted_proxy():
    access = Access(user_header="X-Forwarded-User", trusted_proxies=("10.0.0.2",))
    assert access.user(request_from("127.0.0.1", {"X-Forwarded-User": "ann"})) == "ann"
    assert access.user(request_from("10.0.0.2", {"X-Forwarded-User": "ann"})) == "ann"
    assert access.user(request_from("10.0.0.9", {"X-Forwarded-User": "ann"})) is None  # past the proxy
    assert access.user(request_from("10.0.0.2", {})) is None


def test_proxies_are_matched_as_addresses_and_networks():
    assert is_trusted("::ffff:10.0.0.2", ("10.0.0.2",))  # an IPv4 peer on a dual-stack socket
    assert is_trusted("10.1.0.77", ("10.1.0.0/24",)) and not is_trusted("10.1.1.77", ("10.1.0.0/24",))
    assert is_trusted("::1", ()) and is_trusted("::ffff:127.0.0.1", ())
    assert not is_trusted("not-an-address", ("not-an-address",)) and not is_trusted("10.0.0.3", ("bad net",))


@pytest.mark.parametrize("host", ["[::1", "[x]:80", "evil.example", "127.0.0.1.evil.example", ""])
def test_an_open_ui_refuses_hosts_that_are_not_this_machine(host):
    assert not Access().host_allowed(host)


def test_behind_a_proxy_the_user_header_is_required(serve):
    url = serve(Access(user_header="X-Forwarded-User"))
    assert httpx.get(f"{url}/status").status_code == 403
    page = httpx.get(f"{url}/status", headers={"X-Forwarded-User": "maria@newsroom.example"})
    assert page.status_code == 200 and "maria@newsroom.example" in page.text


def test_actions_need_this_sessions_csrf_token_and_this_origin(serve, settings):
    failed = settings.failed_dir
    failed.mkdir(parents=True)
    (failed / "a.json").write_text("{")
    url = serve(Access())
    with httpx.Client(base_url=url) as browser:
        page = browser.get("/status").text
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
        assert browser.post("/status/retry", data={"file": "a.json"}).status_code == 403  # no token
        assert browser.post("/status/retry", data={"file": "a.json", "csrf": "0" * 64}).status_code == 403
        foreign = browser.post("/status/retry", data={"file": "a.json", "csrf": token},
                               headers={"Origin": "https://evil.example"})
        assert foreign.status_code == 403 and "another site" in foreign.text
        assert (failed / "a.json").exists()
        with httpx.Client(base_url=url) as other:  # another browser's session: the token is not its own
            other.get("/status")
            assert other.post("/status/retry", data={"file": "a.json", "csrf": token}).status_code == 403
        done = browser.post("/status/retry", data={"file": "a.json", "csrf": token})
        assert done.status_code == 303 and "back in the inbox" in httpx.URL(done.headers["location"]).params["done"]
    assert (settings.inbox / "a.json").exists() and not (failed / "a.json").exists()


def test_a_retry_outside_failed_is_refused(settings):
    app = PressWatch(settings)
    app.inbox.ensure()
    (settings.home / "secret.txt").write_text("x")
    settings.failed_dir.mkdir(parents=True, exist_ok=True)
    with pytest.raises(NotFound, match="no failed file"):
        app.retry_failed("../secret.txt")
    assert (settings.home / "secret.txt").exists() and not (settings.inbox / "secret.txt").exists()


def test_the_inbox_status_counts_each_area_and_reads_the_reasons(settings):
    app = PressWatch(settings)
    app.inbox.ensure()
    (settings.inbox / "new.txt").write_text("Title\n\nBody")
    settings.failed_dir.mkdir(parents=True, exist_ok=True)
    (settings.failed_dir / "bad.json").write_text("{")
    (settings.failed_dir / "bad.json.error.json").write_text('{"file": "bad.json", "reason": "invalid JSON"}')
    status = app.inbox_status()
    assert (status.inbox, status.processing, status.processed, status.failed) == (1, 0, 0, 1)
    assert [(f.relative, f.reason) for f in status.failed_files] == [("bad.json", "invalid JSON")]


def test_binding_beyond_loopback_needs_a_password_or_no_auth():
    with pytest.raises(ConfigurationError, match="PRESSWATCH_WEB_PASSWORD"):
        check_exposure("0.0.0.0", Access())
    check_exposure("0.0.0.0", Access(password="x"))
    check_exposure("0.0.0.0", Access(), allow_open=True)
    check_exposure("127.0.0.1", Access())
    check_exposure("::1", Access())


def test_a_port_in_use_is_a_clear_error(settings):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ConfigurationError, match=f"127.0.0.1:{port}.*PRESSWATCH_WEB_PORT"):
            web_server(PressWatch(settings), host="127.0.0.1", port=port)
