from tests.admin.conftest import change_url, form_data


def test_author_submits_own_draft(client, author_user, own_draft):
    client.force_login(author_user)
    page = client.get(change_url(own_draft))
    assert page.status_code == 200
    assert "Submit for review" in page.content.decode()
    response = client.post(change_url(own_draft), form_data(own_draft, body="New body", _transition="submit"))
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else response
    )
    own_draft.refresh_from_db()
    assert own_draft.status == "in_review" and own_draft.body == "New body" and own_draft.version == 2
