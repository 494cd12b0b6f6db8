"""htmx requests carry the CSRF token in the X-CSRFToken header set by ``hx-headers`` in base.html.

The request is sent with ``htmx.ajax`` and no form fields but ``lang`` and ``next``,
so the header is the only place the token can come from.
"""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

POST_LANGUAGE = """
    htmx.ajax('POST', '/language', {source: '#main', values: {lang: 'da', next: '/organisations/'}})
"""


def send_language_change(page):
    with page.expect_response(lambda response: response.url.endswith("/language")) as answer:
        page.evaluate(POST_LANGUAGE)
    return answer.value


@pytest.mark.parametrize(
    "tamper",
    [
        "document.querySelector('.page').setAttribute('hx-headers', '{\"X-CSRFToken\": \"forged\"}')",
        "document.querySelector('.page').removeAttribute('hx-headers')",
    ],
    ids=["wrong-token", "missing-token"],
)
def test_htmx_post_without_the_right_token_is_refused(page, tamper):
    page.goto("/")
    page.evaluate(tamper)

    response = send_language_change(page)

    assert response.status == 400
    assert response.request.headers.get("x-csrftoken") != page.evaluate(
        "document.querySelector('input[name=csrf_token]').value"
    )
    expect(page.locator("#flashes [role=alert]")).to_contain_text("Your form expired or was sent from elsewhere")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_htmx_post_with_the_header_token_works(page):
    page.goto("/")
    response = send_language_change(page)

    assert response.status == 204
    assert response.request.headers.get("x-csrftoken")
    assert "csrf_token" not in (response.request.post_data or "")
    expect(page).to_have_url(re.compile(r"/organisations/$"))
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "da")
