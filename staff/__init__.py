"""Staff logins: the admin site, two-factor authentication, login throttling and password reset."""
