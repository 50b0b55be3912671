"""Word lists and patterns the entity component tests tokens and names against."""

from __future__ import annotations

import re

from ..names import ARABIC_ARTICLES, NAME_PARTICLES


NER_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}

# Head nouns that end an organisation name ("Qassam Brigades", "Security Council").
ORG_HEADS = frozenset(
    """
    brigades brigade army party front movement council committee commission agency ministry department
    bank corporation corp company co inc ltd plc group association union federation organization
    organisation institute university college court parliament assembly authority board bureau
    service services forces guard guards corps office foundation fund trust league alliance coalition
    society club centre center network police administration senate congress cabinet navy airlines
    airways exchange holdings industries systems technologies laboratories labs hospital school church
    tribunal secretariat reserve division regiment battalion brotherhood academy institution council
    organisations organizations partners capital securities bancorp bancshares petroleum motors
    mining refining savings steel chemical chemicals electric pharmaceuticals foods insurance financial
    communications entertainment telecom resources enterprises investments properties newsroom newsdesk
    """.split()
)
# Head nouns no person's name ends with (unlike "Court", "Church", "Bank", "Steel", "Guard"): an NER
# PERSON ending in one is an organisation ("Din al-Qassam Brigades").
ORG_ONLY_HEADS = frozenset(
    """
    brigades brigade army party front movement council committee commission agency ministry department
    corporation corp inc ltd plc group association federation organization organisation institute
    university parliament assembly authority bureau forces corps foundation league alliance coalition
    society centre center network police administration senate congress cabinet airlines airways holdings
    industries systems technologies laboratories hospital tribunal secretariat regiment battalion
    brotherhood academy organisations organizations bancorp bancshares pharmaceuticals enterprises
    """.split()
)
# Places and buildings a name ends with, and no person's name does (unlike "Park", "Lake", "Hill"):
# an NER PERSON ending in one is a place ("Changi Prison", "Lilac Falls Motel").
VENUE_HEADS = frozenset(
    "prison jail motel hotel stadium arena airport square avenue boulevard road bridge falls canal palace"
    " cathedral mosque temple course racecourse circuit".split()
)
# Titles that only people carry (not "state", "party", "foreign", ... which also modify organisations).
PERSON_TITLES = frozenset(
    """
    mr mrs ms dr prof sir dame lord lady ayatollah sheikh imam rabbi cardinal pope bishop king queen prince
    princess emir sultan president premier chancellor minister secretary chairman chairwoman ceo founder
    director governor senator congressman congresswoman ambassador envoy mayor judge spokesman spokeswoman
    spokesperson leader coach striker midfielder defender goalkeeper skipper captain manager commander
    general colonel lieutenant sergeant admiral professor economist analyst lawyer attorney actor actress
    singer writer author novelist journalist correspondent reporter editor player batsman bowler forward
    writers reporters correspondents journalists expert experts researcher scientist historian activist
    lawmaker legislator official officials analysts economists producer director star comedian presenter
    host anchor cinematographer photographer designer architect entrepreneur investor student teacher
    taoiseach tanaiste tánaiste
    """.split()
)
PLACE_HEADS = frozenset(
    "county city province state island islands street avenue road square airport river mountains valley"
    " region district village town strait gulf bay peninsula desert".split()
)
# Lower-case words allowed inside a proper name ("Council of Foreign Relations", "Bank for ...").
NAME_CONNECTORS = frozenset({"of", "for", "and", "&", "on", "the", "de", "du", "des", "la", "le"})

# Outlet nouns after a proper name: "Tasnim news agency", "the Kommersant daily".
OUTLET_HEADS: list[tuple[str, ...]] = [
    ("news", "agency"),
    ("press", "agency"),
    ("news", "service"),
    ("wire", "service"),
    ("news", "website"),
    ("news", "site"),
    ("news", "channel"),
    ("news", "network"),
    ("newspaper",),
    ("daily",),
    ("weekly",),
    ("tabloid",),
    ("broadcaster",),
    ("magazine",),
    ("television",),
    ("tv",),
    ("radio",),
    ("agency",),
]
OUTLET_HEAD_FIRST = frozenset(h[0] for h in OUTLET_HEADS)
STATE_MEDIA = [
    ("state", "media"),
    ("state", "television"),
    ("state", "tv"),
    ("state", "radio"),
    ("state", "news", "agency"),
    ("state", "broadcaster"),
    ("state", "-", "run", "media"),
    ("state", "-", "run", "television"),
    ("state", "-", "run", "news", "agency"),
    ("state", "-", "run", "tv"),
    ("official", "news", "agency"),
    ("state", "-", "owned", "media"),
]

PRONOUNS = frozenset(
    """
    i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
    this that these those who whom whose which what someone anyone everyone somebody nobody one
    """.split()
)
GENERIC = frozenset(
    """
    government company group police army state city country nation people president minister
    ministry party court agency council committee board bank university media news
    republic kingdom union federation administration officials official spokesman spokeswoman
    islam christianity judaism hinduism buddhism catholicism sikhism islamism zionism communism
    twitter-sphere internet web online covid covid-19 coronavirus
    gmt bst utc est edt pst cet
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december today tomorrow yesterday
    north south east west mps meps msps ams
    men women note notes conditions document forwards strikers
    """.split()
)
RELIGIONS = frozenset({"islam", "christianity", "judaism", "hinduism", "buddhism", "catholicism", "sikhism", "allah", "god"})

# Sports clubs: a name ending in one of these is a club, not a person ("Neath RFC", "Leicester City").
CLUB_SUFFIXES = frozenset("fc rfc afc cf sc rc united city rovers athletic wanderers albion town hotspur rangers".split())
CLUB_ALWAYS = frozenset("fc rfc afc cf sc".split())  # the others only in a sports article
# Words that make an article a sports report (counted once per token; a few are enough).
SPORTS_WORDS = frozenset(
    """
    match matches goal goals striker midfielder defender goalkeeper coach league cup season club clubs team
    squad victory defeat draw drew scored score scoring fixture championship premiership rugby football
    soccer cricket tennis player players semi-final quarter-final champions tournament hooker fly-half
    prop flanker winger try tries penalty referee stadium kick-off half-time halftime
    """.split()
)
# A wire headline's sports slug: "SOCCER - SHEARER NAMED AS ENGLAND CAPTAIN", "Boxing-Bruno quits".
SPORT_SLUGS = frozenset(
    """
    soccer football cricket tennis golf baseball basketball athletics boxing squash cycling rugby motor
    racing motorcycling nfl nba nhl hockey swimming rowing yachting sailing badminton skiing alpine nordic
    volleyball handball judo wrestling fencing snooker darts triathlon equestrian showjumping
    """.split()
)
# Before a name, these make it the other side of a fixture ("beat Chelsea", "against Everton").
SPORTS_CUES_BEFORE = frozenset(
    "against beat beating beaten v vs vs. versus over host hosts hosting visit visiting at to from for join joined joining"
    " sign signed signing".split()
)
# After a name: "Charlton boss", "Everton's striker", "Chelsea fans".
SPORTS_CUES_AFTER = frozenset(
    "boss manager striker midfielder defender keeper goalkeeper fans supporters chairman coach captain player players"
    " team side squad defence defense attack midfield board".split()
)
# Nouns that introduce the title of a work ("the film Finding Neverland", "an album called X").
WORK_NOUNS = frozenset(
    """
    film films movie movies album albums show shows novel novels play plays single singles series musical
    song songs book books documentary sitcom comedy drama programme program opera biopic soap game games
    track tracks thriller blockbuster hit sequel remake episode painting poem memoir
    """.split()
)
# After a name: "the Breakfast with Frost programme", "the Little Britain show".
WORK_NOUNS_AFTER = frozenset("programme program show series film movie album novel musical sitcom documentary soap".split())
# After a work's title: "Little Britain stars", "Phoenix Nights creator".
WORK_ROLES = frozenset("star stars co-star creator creators presenter presenters actor actress cast".split())
WORK_LINKS = frozenset({"called", "titled", "entitled", "named", "dubbed"})
# Awards and prizes are not organisations or people ("Oscar", "Golden Globe", "Bafta awards").
AWARD_WORDS = frozenset("oscar oscars academy-award grammy grammys emmy emmys bafta baftas golden globe globes brit brits booker pulitzer tony tonys".split())
AWARD_TAILS = frozenset("award awards prize prizes nomination nominations gong statuette ceremony".split())
# Heads that end the name of an event or competition, not an organisation.
EVENT_HEADS = frozenset(
    "awards festival championship championships cup trophy olympics tournament prix marathon games"
    " series final finals masters open classic rally regatta grand-prix".split()
)
# Market indices are not organisations ("the Nikkei", "the FTSE", "Dow Jones" in a markets report).
MARKET_INDICES = frozenset({"dow", "dow jones", "nikkei", "ftse", "dax", "cac", "hang seng", "nasdaq composite", "s&p", "s&p 500"})
QUOTES = frozenset({'"', "'", "“", "”", "‘", "’", "«", "»"})

DIGITS = re.compile(r"\d")
CREDIT_WORDS = frozenset({"copyright", "©", "source", "sources", "photo", "credit", "credits"})
CREDIT_GLUED = re.compile(r"(?i)^(?:source|sources|photo|credit|credits):")
CREDIT_PREFIX = re.compile(r"@\w+|\b(?:source|sources|photo|credit|credits|copyright)\b\s*:?|©", re.I)
# First words of organisation names that are never a person's first name.
ORG_FIRST_WORDS = frozenset("bank banque banco banca university universidad universite ministry department club".split())
# Nationality nouns before a name: "Scot Nick Smith", "Swede Daniel Persson".
DEMONYMS = frozenset(
    """
    scot briton welshman welshwoman englishman englishwoman irishman irishwoman frenchman frenchwoman
    dutchman dutchwoman swede spaniard american russian italian german kenyan ethiopian australian aussie
    kiwi canadian jamaican brazilian argentine argentinian nigerian ukrainian belgian portuguese
    """.split()
)
# Nouns before a name that make it an organisation: "production company Tiger Aspect", "the firm Hypertag".
ORG_NOUNS_BEFORE = frozenset(
    """
    company companies firm label studio studios brand outfit retailer carrier airline maker manufacturer
    developer publisher charity startup start-up subsidiary insurer lender broker chain supermarket
    conglomerate club clubs broadcaster
    """.split()
)
NUMBER = re.compile(r"\d")
GLUED_PARTICLES = NAME_PARTICLES | ARABIC_ARTICLES  # "ad" in "Izz ad-Din"
BAD_CHARS = frozenset('"?,;()[]{}“”«»|=*#~^<>')
MIXED_ACRONYM = re.compile(r"^[A-Z][A-Za-z&]{1,6}$")
NAME_CAPS = re.compile(r"^(?:Mc|Mac|O'|D'|De|Di|Da|Du|La|Le|Van|Von)[A-Z]|^[A-Z][^A-Z]*$")
CHANNEL_NUMBERS = frozenset({"One", "Two", "Three", "Four", "Five"})
ORDINAL_NUMBER = re.compile(r"^\d+(?:st|nd|rd|th)$", re.I)
MODEL_NUMBER = re.compile(r"^(?=.*\d)(?![12]\d{3}$)[A-Z]{0,3}\d[\w-]*$")
ROMAN = re.compile(r"^[IVXLC]+$")
# Month names that are not also name words ("May", "March", "April", "June", "Jan", "Jun" are left out).
MONTHS = frozenset(
    "january february july august september october november december feb apr aug sep sept oct nov dec".split()
)
TABLE_WORDS = frozenset(
    "mln bln dlrs dlr cts pct vs shr shrs revs avg qtr mths nil tonnes n.a. pence prev total"
    " jan feb mar apr may jun jul aug sep sept oct nov dec".split()
)
TICKER = re.compile(r"^<[^>]*>$")
PRIORITY = {"ner": 0, "orghead": 1, "results": 1, "given": 1, "outlet": 2, "generic_outlet": 2}
_TEAM = r"[A-Z][\w.'&-]*(?: (?:[A-Z][\w.'&-]*|of|'s))*?"
_TEAM_QUALIFIER = r"(?: \( [A-Z][\w.]{0,3} \))?"  # "Mladost ( L )": the town, in Yugoslav tables
# "Arsenal 2 West Ham 0", "Chelsea 1 Southampton 0 (halftime 1-0)": a results line names two teams
RESULT_LINE = re.compile(
    rf"^[ \t]*(?P<a>{_TEAM}){_TEAM_QUALIFIER}[ \t]+\d{{1,3}}[ \t]+"
    rf"(?P<b>{_TEAM}){_TEAM_QUALIFIER}[ \t]+\d{{1,3}}\b[^\n]{{0,40}}$",
    re.M,
)
# "Postponed : Birmingham v Barnsley , Manchester City v Charlton": a fixture (sports reports only)
FIXTURE = re.compile(rf"(?<![\w.'&-])(?P<a>{_TEAM}) (?:v|vs\.?|versus) (?P<b>[A-Z][\w.'&-]*(?: [A-Z][\w.'&-]*)*)")
# "Greenock Morton 3 2 0 1 5 2 6", "BALTIMORE 70 63 .526 4": a standings row (sports reports only)
STANDINGS_ROW = re.compile(
    rf"^[ \t]*(?P<a>{_TEAM}){_TEAM_QUALIFIER}(?:[ \t]+(?:\d+(?:\.\d+)?|\.\d+|\d+/\d+|-)){{3,}}[ \t]*$",
    re.M,
)


# Function words a Title Case headline capitalises and a name never has inside it ("Rubio Responds To
# ...", "Hit On Donald Trump"); "of", "and" and "the" are left out ("Bank Of America" in a Title Case
# line), and so are "may" and "will" (a month, a given name).
HEADLINE_FUNCTION_WORDS = frozenset(
    "to on for in at with by about from into over after before against than as is are was were be been has"
    " have had would can could should might must does did not how why what when where who which that this"
    " these those his her their its our your my he she they we you it him them if but or so".split()
)
