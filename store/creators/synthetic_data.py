"""Vocabulary of the synthetic creator population (`synthetic.py`): niches, markets, names and bio pieces."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Niche:
    name: str
    weight: float
    platforms: dict[str, float]  # primary-platform affinity
    related: tuple[str, ...]
    topics: tuple[str, ...]
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Market:
    country: str
    weight: float
    languages: tuple[str, ...]
    cities: tuple[str, ...]
    currency: str
    calling_code: str
    names: str  # key into NAMES


_VISUAL = {"instagram": 0.45, "tiktok": 0.3, "youtube": 0.2, "twitter": 0.05}
_VIDEO = {"youtube": 0.5, "tiktok": 0.3, "instagram": 0.15, "twitter": 0.05}
_TALK = {"youtube": 0.35, "twitter": 0.3, "instagram": 0.2, "tiktok": 0.15}

NICHES: tuple[Niche, ...] = (
    Niche("beauty", 9, _VISUAL, ("skincare", "fashion", "lifestyle"),
          ("makeup tutorials", "drugstore dupes", "bridal makeup", "everyday glam", "nail art"),
          ("makeup artist", "beauty creator", "MUA")),
    Niche("skincare", 4, _VISUAL, ("beauty", "wellness"),
          ("skincare routines", "acne journeys", "ingredient breakdowns", "SPF education", "K-beauty finds"),
          ("esthetician", "skincare nerd", "dermatology nurse")),
    Niche("fashion", 8, _VISUAL, ("beauty", "lifestyle", "sustainability"),
          ("thrift flips", "capsule wardrobes", "streetwear drops", "modest fashion", "plus-size style"),
          ("stylist", "fashion creator", "designer")),
    Niche("fitness", 8, _VISUAL, ("wellness", "food", "sports"),
          ("home workouts", "strength training", "marathon training", "calisthenics", "postpartum fitness"),
          ("personal trainer", "fitness coach", "powerlifter")),
    Niche("food", 9, _VISUAL, ("travel", "fitness", "parenting"),
          ("plant-based recipes", "street food", "30-minute dinners", "sourdough baking", "meal prep"),
          ("home cook", "chef", "food blogger")),
    Niche("travel", 7, _VISUAL, ("photography", "food", "outdoors"),
          ("budget backpacking", "luxury hotels", "van life", "hidden beaches", "city guides"),
          ("travel creator", "digital nomad", "travel photographer")),
    Niche("gaming", 7, _VIDEO, ("tech", "comedy"),
          ("speedruns", "cozy games", "esports commentary", "retro consoles", "Minecraft builds"),
          ("streamer", "gamer", "esports caster")),
    Niche("tech", 5, _TALK, ("gaming", "education", "personal finance"),
          ("smartphone reviews", "PC builds", "AI tools", "smart home setups", "coding tutorials"),
          ("tech reviewer", "software engineer", "gadget nerd")),
    Niche("parenting", 5, _VISUAL, ("food", "lifestyle", "education"),
          ("toddler activities", "gentle parenting", "family travel", "twin life", "homeschooling"),
          ("mom", "dad", "parent coach")),
    Niche("personal finance", 3, _TALK, ("education", "tech"),
          ("budgeting", "index investing", "debt payoff", "side hustles", "FIRE"),
          ("financial coach", "CPA", "money nerd")),
    Niche("lifestyle", 6, _VISUAL, ("fashion", "home decor", "wellness"),
          ("day-in-the-life vlogs", "slow living", "productivity", "self-care Sundays", "apartment life"),
          ("lifestyle creator", "vlogger", "content creator")),
    Niche("music", 4, _VIDEO, ("dance", "comedy"),
          ("guitar covers", "bedroom pop", "beat making", "vocal lessons", "live looping"),
          ("singer-songwriter", "producer", "musician")),
    Niche("comedy", 5, {"tiktok": 0.5, "instagram": 0.25, "youtube": 0.2, "twitter": 0.05}, ("lifestyle", "gaming"),
          ("sketches", "relatable skits", "stand-up clips", "parody songs", "office humor"),
          ("comedian", "sketch writer", "improviser")),
    Niche("education", 3, _TALK, ("tech", "books", "personal finance"),
          ("study tips", "language learning", "history deep dives", "science experiments", "exam prep"),
          ("teacher", "tutor", "science communicator")),
    Niche("wellness", 4, _VISUAL, ("fitness", "skincare", "food"),
          ("mindfulness", "sleep hygiene", "gut health", "breathwork", "mental health"),
          ("yoga teacher", "nutritionist", "wellness coach")),
    Niche("home decor", 3, _VISUAL, ("lifestyle", "diy"),
          ("small-space styling", "rental makeovers", "plant care", "vintage finds", "minimalist interiors"),
          ("interior designer", "decor creator", "home stylist")),
    Niche("diy", 2, _VIDEO, ("home decor", "art"),
          ("woodworking", "upcycling furniture", "crafts", "home repairs", "3D printing"),
          ("maker", "carpenter", "crafter")),
    Niche("pets", 3, {"tiktok": 0.4, "instagram": 0.4, "youtube": 0.15, "twitter": 0.05}, ("lifestyle", "outdoors"),
          ("dog training", "rescue cats", "exotic pets", "pet nutrition", "puppy life"),
          ("dog trainer", "pet parent", "vet tech")),
    Niche("sports", 4, _TALK, ("fitness", "outdoors"),
          ("football analysis", "basketball highlights", "tennis drills", "cycling", "F1 talk"),
          ("athlete", "coach", "sports analyst")),
    Niche("photography", 3, _VISUAL, ("travel", "art", "tech"),
          ("street photography", "film cameras", "portrait lighting", "drone shots", "photo editing"),
          ("photographer", "filmmaker", "cinematographer")),
    Niche("art", 2, _VISUAL, ("diy", "photography"),
          ("watercolor", "digital illustration", "tattoo design", "pottery", "street art"),
          ("illustrator", "painter", "ceramicist")),
    Niche("automotive", 2, _VIDEO, ("tech", "diy"),
          ("car reviews", "EV road trips", "detailing", "project cars", "motorbikes"),
          ("car reviewer", "mechanic", "racing driver")),
    Niche("sustainability", 2, _VISUAL, ("fashion", "home decor", "food"),
          ("zero waste", "secondhand shopping", "climate explainers", "composting", "slow fashion"),
          ("climate activist", "zero-waste creator", "environmental scientist")),
    Niche("books", 2, {"tiktok": 0.45, "instagram": 0.35, "youtube": 0.15, "twitter": 0.05}, ("education", "art"),
          ("fantasy reads", "romance recs", "book hauls", "reading challenges", "literary fiction"),
          ("booktoker", "librarian", "author")),
    Niche("dance", 2, {"tiktok": 0.55, "instagram": 0.3, "youtube": 0.15}, ("music", "fitness"),
          ("choreography", "K-pop covers", "salsa", "ballet technique", "hip-hop freestyle"),
          ("dancer", "choreographer", "dance teacher")),
    Niche("outdoors", 2, _VIDEO, ("travel", "sports", "photography"),
          ("hiking", "wild camping", "climbing", "fly fishing", "trail running"),
          ("mountain guide", "hiker", "climber")),
)

MARKETS: tuple[Market, ...] = (
    Market("US", 22, ("en",), ("New York", "Los Angeles", "Chicago", "Austin", "Miami", "Seattle", "Atlanta"),
           "USD", "1", "en"),
    Market("GB", 7, ("en",), ("London", "Manchester", "Bristol", "Leeds", "Glasgow", "Edinburgh"), "GBP", "44", "en"),
    Market("BR", 8, ("pt",), ("São Paulo", "Rio de Janeiro", "Belo Horizonte", "Curitiba", "Salvador"), "BRL", "55",
           "pt"),
    Market("IN", 9, ("en", "hi"), ("Mumbai", "Delhi", "Bengaluru", "Hyderabad", "Chennai", "Pune"), "INR", "91", "hi"),
    Market("MX", 5, ("es",), ("Mexico City", "Guadalajara", "Monterrey", "Puebla"), "MXN", "52", "es"),
    Market("ES", 4, ("es",), ("Madrid", "Barcelona", "Valencia", "Seville"), "EUR", "34", "es"),
    Market("DE", 5, ("de",), ("Berlin", "Munich", "Hamburg", "Cologne", "Frankfurt"), "EUR", "49", "de"),
    Market("FR", 5, ("fr",), ("Paris", "Lyon", "Marseille", "Bordeaux", "Lille"), "EUR", "33", "fr"),
    Market("IT", 3, ("it",), ("Milan", "Rome", "Naples", "Turin", "Florence"), "EUR", "39", "it"),
    Market("CA", 3, ("en", "fr"), ("Toronto", "Vancouver", "Montreal", "Calgary"), "CAD", "1", "en"),
    Market("AU", 3, ("en",), ("Sydney", "Melbourne", "Brisbane", "Perth"), "AUD", "61", "en"),
    Market("ID", 4, ("id",), ("Jakarta", "Surabaya", "Bandung", "Denpasar"), "IDR", "62", "id"),
    Market("PH", 3, ("en", "tl"), ("Manila", "Cebu", "Davao"), "PHP", "63", "id"),
    Market("NG", 3, ("en",), ("Lagos", "Abuja", "Port Harcourt"), "NGN", "234", "ng"),
    Market("JP", 3, ("ja",), ("Tokyo", "Osaka", "Kyoto", "Fukuoka"), "JPY", "81", "ja"),
    Market("KR", 2, ("ko",), ("Seoul", "Busan", "Incheon"), "KRW", "82", "ko"),
    Market("AR", 2, ("es",), ("Buenos Aires", "Córdoba", "Rosario"), "ARS", "54", "es"),
    Market("CO", 2, ("es",), ("Bogotá", "Medellín", "Cali"), "COP", "57", "es"),
    Market("TR", 2, ("tr",), ("Istanbul", "Ankara", "Izmir"), "TRY", "90", "tr"),
    Market("NL", 2, ("nl", "en"), ("Amsterdam", "Rotterdam", "Utrecht"), "EUR", "31", "de"),
    Market("SE", 1, ("sv", "en"), ("Stockholm", "Gothenburg", "Malmö"), "SEK", "46", "de"),
    Market("PL", 1, ("pl",), ("Warsaw", "Kraków", "Wrocław"), "PLN", "48", "de"),
    Market("ZA", 1, ("en", "af"), ("Cape Town", "Johannesburg", "Durban"), "ZAR", "27", "en"),
    Market("AE", 1, ("ar", "en"), ("Dubai", "Abu Dhabi"), "AED", "971", "en"),
    Market("PT", 1, ("pt",), ("Lisbon", "Porto"), "EUR", "351", "pt"),
)

NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "en": (("Olivia", "Liam", "Emma", "Noah", "Ava", "Mason", "Chloe", "Ethan", "Grace", "Leo", "Zoe", "Jack"),
           ("Smith", "Johnson", "Brown", "Taylor", "Walker", "Harris", "Clark", "Lewis", "Young", "King", "Park")),
    "pt": (("Ana", "João", "Beatriz", "Lucas", "Mariana", "Gabriel", "Larissa", "Rafael", "Camila", "Thiago"),
           ("Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira", "Almeida", "Ferreira", "Rocha")),
    "es": (("Sofía", "Mateo", "Valentina", "Santiago", "Lucía", "Diego", "Camila", "Javier", "Isabella", "Pablo"),
           ("García", "Martínez", "López", "Hernández", "González", "Pérez", "Sánchez", "Ramírez", "Torres")),
    "hi": (("Aarav", "Priya", "Rohan", "Ananya", "Vikram", "Isha", "Arjun", "Meera", "Kabir", "Diya"),
           ("Sharma", "Patel", "Singh", "Gupta", "Iyer", "Reddy", "Kapoor", "Nair", "Mehta")),
    "de": (("Lena", "Jonas", "Mia", "Felix", "Hannah", "Paul", "Lea", "Maximilian", "Anna", "Emil"),
           ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Wagner", "Jansen", "Novak")),
    "fr": (("Camille", "Louis", "Léa", "Hugo", "Manon", "Arthur", "Inès", "Jules", "Chloé", "Nathan"),
           ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Moreau")),
    "it": (("Giulia", "Francesco", "Sofia", "Alessandro", "Aurora", "Lorenzo", "Martina", "Matteo"),
           ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci")),
    "id": (("Putri", "Budi", "Siti", "Agus", "Dewi", "Rizky", "Ayu", "Andi", "Maria", "Joshua"),
           ("Santoso", "Wijaya", "Saputra", "Hidayat", "Reyes", "Cruz", "Bautista", "Lestari")),
    "ng": (("Chioma", "Tunde", "Amara", "Emeka", "Zainab", "Femi", "Ngozi", "Kelechi"),
           ("Okafor", "Adeyemi", "Balogun", "Eze", "Okonkwo", "Bello", "Nwosu")),
    "ja": (("Yui", "Haruto", "Sakura", "Ren", "Hina", "Sota", "Aoi", "Yuto"),
           ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Nakamura")),
    "ko": (("Ji-woo", "Min-jun", "Seo-yeon", "Do-yun", "Ha-eun", "Ji-ho", "Su-bin"),
           ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Yoon")),
    "tr": (("Elif", "Yusuf", "Zeynep", "Emir", "Defne", "Mehmet", "Ecrin"),
           ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Aydın", "Öztürk")),
}

EMOJI = ("✨", "🌿", "🔥", "📍", "💫", "🎥", "🌍", "💪", "🍜", "🎮", "📚", "☀️", "")
OPENERS = (
    "{emoji} {role_cap} sharing {topic} from {city}.",
    "{city}-based {role} obsessed with {topic}.",
    "Hi, I'm {first}! I post {topic} and {topic2}.",
    "{topic_cap} | {topic2} | {city}",
    "Your go-to {role} for {topic}.",
    "{role_cap} turning {topic} into something you can actually do.",
    "Making {topic} simple since {year}.",
    "{emoji} {niche_cap} creator. {topic_cap} and {topic2}, mostly.",
    "I help {audience} with {topic}.",
    "Documenting {topic} one {unit} at a time.",
)
MIDDLES = (
    "New videos every {weekday}.",
    "Former {past} turned full-time creator.",
    "Also into {other_topic}.",
    "{adjective_cap} tips, honest reviews, zero gatekeeping.",
    "Featured in {press}.",
    "Building a community of {count_word} {audience}.",
    "Lives and breathes {topic2}.",
    "Bilingual content in {language_names}.",
    "",
    "",
)
CLOSERS = (
    "Collabs via email.",
    "📩 Partnerships: link below.",
    "DM for collaborations.",
    "Brand work: see link.",
    "Open to paid partnerships.",
    "",
)
AUDIENCES = ("busy people", "beginners", "students", "working professionals", "curious minds", "first-timers",
             "small business owners", "families", "total newbies", "people over 40")
PAST_JOBS = ("accountant", "nurse", "teacher", "software engineer", "barista", "lawyer", "architect", "chef")
PRESS = ("Vogue", "BuzzFeed", "Forbes 30 Under 30", "local TV", "The Guardian", "a Netflix doc", "TechCrunch")
ADJECTIVES = ("practical", "no-nonsense", "budget-friendly", "science-backed", "cozy", "bold", "minimal")
UNITS = ("day", "week", "recipe", "trip", "video", "project")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Sunday")
COUNT_WORDS = ("2k", "10k", "50k", "100k", "thousands of", "curious")
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
DELIVERABLES = {
    "instagram": (("instagram_post", 1.0), ("instagram_reel", 1.4), ("instagram_story", 0.35)),
    "youtube": (("youtube_video", 2.2), ("youtube_short", 0.6)),
    "tiktok": (("tiktok_video", 0.9),),
    "twitter": (("twitter_post", 0.3),),
}
