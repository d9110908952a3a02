"""A corpus of published DynamoDB data models and a harness that grades ddbtui's advisor on them (issue #20)."""
