"""Sites and articles: finding them, creating them (the demo site too), their settings."""
