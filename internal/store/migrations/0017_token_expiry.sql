-- API tokens expire (decision 0016). A token made before this has 90 days from the
-- upgrade, so that no program stops at once and its owner sees the date on her account
-- page first. A token without an expiry is refused (the store compares expires_at).

ALTER TABLE tokens ADD COLUMN expires_at {{time}};
-- dialect: sqlite
UPDATE tokens SET expires_at = strftime('%Y-%m-%d %H:%M:%f+00:00', 'now', '+90 days');
-- dialect: postgres
UPDATE tokens SET expires_at = now() + INTERVAL '90 days';
-- dialect: all
