"""The seed README's curl examples, verbatim (hosts `localhost:8000` for the API and `localhost:8001` for the
WhatsApp Business service). `$NAME` placeholders are filled from earlier answers, the way a reader pastes ids.

Each entry: (what it shows, the command, the JSON field to remember from its answer as `$NAME`, or None).
"""

from __future__ import annotations

EXAMPLES: list[tuple[str, str, dict[str, str] | None]] = [
    ("register a manager", """curl -X POST "http://localhost:8000/auth/register/user" \\
  -H "Content-Type: application/json" \\
  -d '{"email": "manager@brand.com", "username": "brandmanager", "password": "securepassword123", "full_name": "Brand Manager", "company_name": "Brand Inc"}'""",
     None),
    ("register a creator", """curl -X POST "http://localhost:8000/auth/register/creator" \\
  -H "Content-Type: application/json" \\
  -d '{"email": "creator@example.com", "username": "fashioncreator", "password": "securepassword123", "full_name": "Fashion Creator", "category": "fashion", "instagram_followers": 50000, "youtube_subscribers": 10000}'""",
     {"CREATOR_ID": "creator_id"}),
    ("log in (manager)", """curl -X POST "http://localhost:8000/auth/login" \\
  -H "Content-Type: application/x-www-form-urlencoded" \\
  -d "username=brandmanager&password=securepassword123\"""", {"TOKEN": "access_token"}),
    ("log in (creator)", """curl -X POST "http://localhost:8000/auth/login" \\
  -d "username=fashioncreator&password=securepassword123\"""", {"CREATOR_TOKEN": "access_token"}),
    ("who am I", """curl -X GET "http://localhost:8000/auth/me" -H "Authorization: Bearer $TOKEN\"""", None),
    ("create a campaign", """curl -X POST "http://localhost:8000/campaigns/" \\
  -H "Authorization: Bearer $TOKEN" \\
  -H "Content-Type: application/json" \\
  -d '{"title": "Summer Fashion Campaign", "brand_name": "FashionBrand", "campaign_type": "sponsored_post", "budget": 5000.0, "start_date": "2025-06-01", "end_date": "2025-08-31", "description": "Promote our summer collection"}'""",
     {"CAMPAIGN_ID": "id"}),
    ("list campaigns", """curl -X GET "http://localhost:8000/campaigns/" -H "Authorization: Bearer $TOKEN\"""", None),
    ("one campaign", """curl -X GET "http://localhost:8000/campaigns/$CAMPAIGN_ID" -H "Authorization: Bearer $TOKEN\"""",
     None),
    ("update a campaign", """curl -X PUT "http://localhost:8000/campaigns/$CAMPAIGN_ID" \\
  -H "Authorization: Bearer $TOKEN" \\
  -H "Content-Type: application/json" \\
  -d '{"title": "Summer Fashion Campaign 2025", "budget": 7500.0}'""", None),
    ("invite a creator", """curl -X POST "http://localhost:8000/campaigns/$CAMPAIGN_ID/invite" \\
  -H "Authorization: Bearer $TOKEN" \\
  -H "Content-Type: application/json" \\
  -d '{"creator_id": "'$CREATOR_ID'", "message": "We would love to work with you!"}'""", None),
    ("search creators", """curl -X GET "http://localhost:8000/creators/?limit=10" -H "Authorization: Bearer $TOKEN\"""",
     None),
    ("one creator", """curl -X GET "http://localhost:8000/creators/$CREATOR_ID" -H "Authorization: Bearer $TOKEN\"""",
     None),
    ("my creator profile", """curl -X GET "http://localhost:8000/creators/me" -H "Authorization: Bearer $CREATOR_TOKEN\"""",
     None),
    ("update my creator profile", """curl -X PUT "http://localhost:8000/creators/me" \\
  -H "Authorization: Bearer $CREATOR_TOKEN" \\
  -H "Content-Type: application/json" \\
  -d '{"bio": "Fashion and lifestyle content creator", "country": "US"}'""", None),
    ("my invitations", """curl -X GET "http://localhost:8000/creators/me/campaigns" -H "Authorization: Bearer $CREATOR_TOKEN\"""",
     None),
    ("accept an invitation", """curl -X POST "http://localhost:8000/creators/me/campaigns/$CAMPAIGN_ID/accept" \\
  -H "Authorization: Bearer $CREATOR_TOKEN\"""", None),
    ("send a WhatsApp template", """curl -X POST "http://localhost:8001/whatsapp/send" \\
  -H "Authorization: Bearer $TOKEN" \\
  -H "Content-Type: application/json" \\
  -d '{"to": "+14155550123", "template": {"name": "creator_outreach", "language": "en", "body_parameters": ["Fashion Creator"]}}'""",
     {"MESSAGE_ID": "id"}),
    ("WhatsApp message status", """curl -X GET "http://localhost:8001/whatsapp/status/$MESSAGE_ID" -H "Authorization: Bearer $TOKEN\"""",
     None),
]
