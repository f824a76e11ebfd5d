"""The words of the fictional demo locality: kinds of organisation, what they offer, and the parts
descriptions are built from, written the way local groups describe themselves.

Placeholders: {hood} neighbourhood, {street} street, {park} park, {word} a warm word, {day} a
weekday, {name} a first name, {org} the organisation's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Offer:
    """A kind of service an organisation runs."""

    names: tuple[str, ...]
    support_types: tuple[str, ...]  # the first is the main one
    lines: tuple[str, ...]  # sentences about what happens; two or three are used
    schedules: tuple[str, ...] = ("morning", "evening", "weekend")
    cost: str = "free"  # free, paid or either
    prices: tuple[tuple[str, str], ...] = (("5.00", "£5 a session"),)
    needs_referral: bool = False
    referral_process: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    attending: str = "in person"


@dataclass(frozen=True)
class OrgKind:
    key: str
    count: int
    names: tuple[str, ...]
    about: tuple[str, ...]
    offers: tuple[Offer, ...]
    services: tuple[int, int] = (2, 3)
    locations: tuple[int, int] = (1, 2)
    voice: str = "group"  # group, charity, nhs or host
    tags: tuple[str, ...] = field(default_factory=tuple)


WORDS = (
    "Lantern",
    "Kindred",
    "Open Door",
    "Harbour",
    "Hearth",
    "Common Ground",
    "Roots",
    "Willow",
    "Windmill",
    "Effra",
    "Falcon",
    "Larkhall",
    "Beacon",
    "Compass",
    "Patchwork",
    "Sunflower",
    "Mulberry",
    "Hawthorn",
    "Elderflower",
    "Threadneedle",
    "Goldfinch",
    "Half Moon",
    "Bluebell",
    "Cornerstone",
    "Kettle",
    "Doorstep",
    "Ivy",
    "Riverside",
    "Rosemary",
    "Morning Star",
)
PARKS = (
    "Brockwell Park",
    "Ruskin Park",
    "Kennington Park",
    "Larkhall Park",
    "Myatt's Fields",
    "Norwood Park",
    "Streatham Common",
    "Vauxhall Pleasure Gardens",
    "Slade Gardens",
    "Archbishop's Park",
    "Max Roach Park",
    "Agnes Riley Gardens",
    "Windmill Gardens",
)
FIRST_NAMES = (
    "Marcia",
    "Dele",
    "Joana",
    "Hamza",
    "Bernadette",
    "Kwame",
    "Aisha",
    "Tomasz",
    "Yewande",
    "Rui",
    "Precious",
    "Declan",
    "Fatima",
    "Winston",
    "Shanice",
    "Farhan",
    "Gloria",
    "Abdi",
    "Lucia",
    "Patrick",
    "Nadia",
    "Errol",
    "Ama",
    "Mehmet",
    "Siobhan",
    "Tunde",
    "Agnieszka",
    "Cheryl",
    "Kofi",
    "Rosa",
    "Delroy",
    "Hodan",
    "Mariana",
    "Jonah",
    "Priya",
    "Samuel",
)
SURNAMES = (
    "Adeyemi",
    "Silva",
    "Mensah",
    "O'Connor",
    "Hussein",
    "Kowalski",
    "Campbell",
    "Begum",
    "Okafor",
    "Ferreira",
    "Brown",
    "Warsame",
    "Clarke",
    "Nowak",
    "Asante",
    "Rahman",
    "Gordon",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# ISO 639 codes; BSL has only a 639-3 code.
LANGUAGES = (
    ("Portuguese", "pt"),
    ("Spanish", "es"),
    ("Somali", "so"),
    ("Polish", "pl"),
    ("Yoruba", "yo"),
    ("Twi", "tw"),
    ("Bengali", "bn"),
    ("Arabic", "ar"),
    ("British Sign Language", "bfi"),
    ("French", "fr"),
    ("Tigrinya", "ti"),
    ("Turkish", "tr"),
    ("Urdu", "ur"),
    ("Amharic", "am"),
)

# ---------------------------------------------------------------------------------------------
# Description parts shared by every kind of service.

GROUP_OPENERS = (
    "Come as you are.",
    "Whatever kind of week you've had, you're welcome here.",
    "No forms, no waiting list, no pressure.",
    "If you've been meaning to try something like this for a while, this is your sign.",
    "We started this because we needed it ourselves.",
    "Everyone is a bit nervous the first time, and that's fine.",
    "You don't have to talk if you don't want to. Plenty of people just listen at first.",
    "We're friendly, a bit chaotic and always pleased to see a new face.",
    "It's small, it's local and it's run by people who live round here.",
)
DROP_IN_OPENERS = (
    "Just turn up. Honestly, that's the hardest bit.",
    "Come as you are, stay as long as you like.",
    "The door's open and the kettle's on.",
)
CHARITY_OPENERS = (
    "We're a local charity and we've been part of {hood} for years.",
    "{org} is run by local people for local people.",
    "We're a small team with a lot of heart and a very old kettle.",
    "People come to us for all sorts of reasons, and there's no wrong reason.",
    "We believe nobody should have to sort things out on their own.",
)
NHS_OPENERS = (
    "This is an NHS-style service in the fictional demo locality.",
    "A team of nurses, psychologists, occupational therapists and support workers.",
    "Part of the local health services for people living in Lambeth.",
)
PRACTICAL_FREE = (
    "It's free, and tea and biscuits are on us.",
    "There's no charge. If you want to chip in for the biscuits you can, but nobody minds if you don't.",
    "Completely free.",
    "It costs nothing to come along.",
)
PRACTICAL_PAID = (
    "We keep prices as low as we can, and nobody is turned away for lack of money: just have a word.",
    "There's a small charge to cover the room and materials; concessions are available.",
    "If the cost is a problem, tell us. We have a few free places every week.",
)
PRACTICAL_DROP_IN = (
    "You don't need to book, just turn up.",
    "Drop in any time during the session.",
    "Come for ten minutes or stay the whole time.",
    "No need to ring ahead.",
)
WELCOMES = (
    "Everyone is welcome, whatever your age, background or beliefs.",
    "Bring a friend if that makes it easier.",
    "The room is on the ground floor and there's a quiet corner if things get too much.",
    "Children are welcome if you can't get childcare.",
    "We're LGBTQ+ friendly and proud of it.",
    "If it's your first time, ask for {name} at the door.",
    "{name} will meet you at the entrance if you let us know you're coming.",
    "You'll see the sign on the door.",
)
LANGUAGE_LINES = (
    "Some of us speak {languages}.",
    "We can talk with you in {languages}.",
    "Volunteers here speak {languages} as well as English.",
)

# ---------------------------------------------------------------------------------------------
# Offers, grouped by the kind of organisation that runs them.


def _o(*args: object, **kwargs: object) -> Offer:
    return Offer(*args, **kwargs)  # type: ignore[arg-type]


PEER = (
    _o(
        ("{hood} Peer Support Circle", "Anxiety and Low Mood Peer Group", "{day} Talking Circle"),
        ("peer-support",),
        (
            "We sit in a circle, say how the week has gone, and listen without judging or fixing.",
            "Everyone in the group has their own experience of anxiety, depression or just feeling stuck.",
            "There are no experts here, just people who get it.",
            "Some weeks we laugh a lot. Some weeks we don't. Both are fine.",
            "What's said in the group stays in the group.",
        ),
        ("evening", "morning", "fortnightly"),
    ),
    _o(
        ("Hearing Voices Group", "{word} Voices Network", "Voices and Visions Group"),
        ("hearing-voices", "peer-support"),
        (
            "A safe space for people who hear voices, see visions or have unusual experiences.",
            "We don't tell anyone what their experiences mean: you're the expert on you.",
            "Members share what helps them live with their voices, from headphones to humour.",
            "Family members are welcome at the last session of each month.",
        ),
        ("afternoon", "evening"),
    ),
    _o(
        ("Eating Difficulties Support Group", "Food and Feelings Group"),
        ("eating-disorders", "peer-support"),
        (
            "For anyone who struggles with food, eating or how they see their body, with or without a diagnosis.",
            "We don't talk about numbers, weights or calories.",
            "The group is run by two volunteers who have been there themselves.",
        ),
        ("evening", "monthly"),
    ),
    _o(
        ("Living with Pain Peer Group", "Long-Term Conditions Cafe", "Chronic Illness Chat"),
        ("long-term-conditions", "peer-support"),
        (
            "Living with pain, fatigue, diabetes or any long-term condition can wear you down.",
            "We swap tips on pacing, sleep, appointments and getting through the bad days.",
            "Chairs with arms, cushions and a lift to the room.",
        ),
        ("afternoon", "monthly"),
    ),
    _o(
        ("Neurodivergent Adults Meet-Up", "ADHD Peer Support", "Autistic Adults Social"),
        ("neurodiversity", "peer-support"),
        (
            "A relaxed meet-up for autistic adults and people with ADHD, diagnosed or self-identified.",
            "Lights are kept low, there's a quiet room, and you can leave whenever you like.",
            "Some people chat, some people play board games, some people just sit.",
            "No small talk required.",
        ),
        ("evening", "weekend"),
    ),
)
RECOVERY = (
    _o(
        ("Recovery Cafe", "{hood} Recovery Community", "One Day at a Time Group"),
        ("substance-use", "peer-support"),
        (
            "For anyone whose drinking or drug use has become a worry, and for people in recovery.",
            "You don't need to be sober to come, just not drunk or high in the room.",
            "We cook a meal together and eat round one big table.",
            "Several of us have been in recovery for years and remember how hard the first step is.",
        ),
        ("evening", "weekend"),
    ),
    _o(
        ("Gambling Support Group", "Betting Harm Peer Group", "Money and Gambling Drop-in"),
        ("gambling", "debt-money"),
        (
            "For people who gamble more than they want to, and for the people close to them.",
            "We can help you set up blocks on betting sites and apps on the spot.",
            "Nobody lectures anyone. We've all lost more than money.",
        ),
        ("evening", "monthly"),
    ),
    _o(
        ("Alcohol Advice Drop-in", "Drink Less Clinic"),
        ("substance-use",),
        (
            "A worker will talk through your drinking with you, in private, with no judgement.",
            "We can help you cut down safely or stop, and talk through detox if it's needed.",
        ),
        ("office",),
    ),
)
ADVICE = (
    _o(
        ("Debt Advice Drop-in", "Money Worries Clinic", "Bills and Debt Help"),
        ("debt-money",),
        (
            "Bring your letters, even the ones you haven't opened. We'll go through them with you.",
            "Our advisers can talk to the people you owe and work out a budget that you can stick to.",
            "We can help with council tax arrears, energy bills, rent arrears, loans and credit cards.",
            "Nothing you tell us gets passed on without your say-so.",
        ),
        ("office", "morning"),
    ),
    _o(
        ("Benefits Advice", "Universal Credit Help Desk", "PIP and Benefits Form Help"),
        ("benefits",),
        (
            "Help with Universal Credit, PIP, council tax reduction and anything else the forms throw at you.",
            "We can fill in forms with you and come to assessments and appeals.",
            "Last year we helped local people claim money they were owed and didn't know about.",
        ),
        ("office", "afternoon"),
    ),
    _o(
        ("Housing Advice Drop-in", "Homelessness Prevention Service", "Renters' Rights Clinic"),
        ("housing",),
        (
            "If you've been given notice, are sofa-surfing or your home is making you ill, come and see us.",
            "We can talk to your landlord or the council with you and help with repairs and disrepair.",
            "If you have nowhere to sleep tonight, come straight here and we'll work something out.",
        ),
        ("office", "morning"),
    ),
    _o(
        ("Free Legal Advice Evening", "Community Law Clinic"),
        ("legal-advice",),
        (
            "Volunteer solicitors give free advice on housing, employment, family and immigration problems.",
            "Appointments are 20 minutes. Bring any letters or papers you have.",
        ),
        ("evening", "monthly"),
        attending="appointment",
    ),
    _o(
        ("Back to Work Support", "Job Club", "CV and Interview Help"),
        ("employment", "learning-skills"),
        (
            "One-to-one help with CVs, applications and getting ready for interviews.",
            "We also help people stay in work when their mental health is making it hard.",
            "There are computers and a printer you can use for free.",
        ),
        ("morning", "afternoon"),
    ),
)
FOOD = (
    _o(
        ("{hood} Food Bank", "Community Pantry", "{word} Food Hub"),
        ("food",),
        (
            "Choose your own food from the shelves, like a shop, with fresh fruit and veg when we have it.",
            "You don't need a voucher or a referral. Just come in.",
            "There's always a hot drink and someone to chat to while you wait.",
            "We have halal, vegetarian and baby food, and toiletries and period products.",
        ),
        ("morning", "afternoon", "weekend"),
    ),
    _o(
        ("Community Lunch", "Pay-as-you-feel Cafe", "Sunday Supper Club"),
        ("food", "social-connection"),
        (
            "A hot two-course meal cooked by volunteers, eaten together at long tables.",
            "Pay what you can, or nothing at all. Everyone eats the same food at the same table.",
            "Come early for a game of dominoes.",
        ),
        ("weekend", "afternoon"),
        cost="either",
        prices=(("3.00", "Pay as you feel, suggested £3"),),
    ),
)
COMMUNITY = (
    _o(
        ("Coffee Morning", "Drop-in Social", "Knit and Natter", "Games Afternoon"),
        ("social-connection",),
        (
            "Tea, coffee, cake and conversation. That's it, and that's plenty.",
            "Some people come every week, some once in a blue moon.",
            "There are board games, jigsaws and newspapers if you'd rather not chat.",
            "It's a good way to meet the neighbours you've been nodding at for years.",
        ),
        ("morning", "afternoon"),
    ),
    _o(
        ("Wellbeing Course", "Five Ways to Wellbeing Course", "Managing Stress Workshop"),
        ("self-care-courses",),
        (
            "A short course on looking after your mood, your sleep and your stress.",
            "Each week has a theme and a few practical things to try at home.",
            "Run by trained volunteers who have used these ideas in their own lives.",
            "You don't have to share anything personal.",
        ),
        ("course",),
        cost="either",
        prices=(("20.00", "£20 for the whole course, free if you're on a low income"),),
    ),
    _o(
        ("Digital Skills Drop-in", "Computer Help Club", "English Conversation Class"),
        ("learning-skills",),
        (
            "Help with phones, tablets, email, video calls and online forms, at your own pace.",
            "Bring your own device if you have one; we have laptops if you don't.",
            "No question is too basic. We've heard them all.",
        ),
        ("morning", "afternoon"),
    ),
    _o(
        ("Chair Yoga", "Gentle Exercise Class", "Walking Football"),
        ("physical-activity",),
        (
            "Gentle movement for every body, mostly sitting down.",
            "Wear something comfortable. There's water and a breather whenever you need one.",
            "Nobody is keeping score.",
        ),
        ("morning", "afternoon"),
        cost="either",
        prices=(("3.00", "£3 a class"), ("2.00", "£2 concessions")),
    ),
)
OLDER = (
    _o(
        ("Tea Dance", "Over-60s Lunch Club", "Afternoon Social for Older Neighbours"),
        ("older-people", "social-connection"),
        (
            "Music, a proper lunch and good company for people over 60.",
            "Door-to-door transport is available if getting here is hard.",
            "A few of our members have been coming for over a decade.",
        ),
        ("afternoon",),
        minimum_age=60,
        cost="either",
        prices=(("4.00", "£4 including lunch"),),
    ),
    _o(
        ("Telephone Friendship Service", "Check-in Calls", "Good Neighbour Befriending"),
        ("befriending", "older-people"),
        (
            "A friendly volunteer rings you every week for a chat, at a time that suits you.",
            "If you'd like, the same volunteer can visit or walk to the shops with you.",
            "All our volunteers are checked and trained.",
        ),
        ("office",),
        attending="phone",
    ),
)
FAITH = (
    _o(
        ("Open Church Cafe", "Quiet Space for Prayer and Reflection", "Community Iftar"),
        ("faith", "social-connection"),
        (
            "You don't need to believe anything to come in and sit.",
            "The building is open for anyone who wants some peace and quiet in a busy week.",
            "Someone from the congregation is always around if you'd like to talk or pray.",
        ),
        ("morning", "weekend"),
    ),
    _o(
        ("Bereavement Cafe", "Grief Walk and Talk", "Loss and Hope Group"),
        ("bereavement",),
        (
            "For anyone who has lost someone, whether it was last week or many years ago.",
            "We talk about the people we miss. Sometimes we cry, often we laugh.",
            "Trained bereavement volunteers are there if you'd like a quiet word.",
        ),
        ("monthly", "afternoon"),
    ),
)
ARTS = (
    _o(
        ("Open Art Studio", "Community Choir", "Creative Writing Circle", "Pottery for Wellbeing"),
        ("creative-arts",),
        (
            "No talent required. Really.",
            "All the materials are provided and you can take home what you make.",
            "We sing everything from gospel to pop, no auditions and no reading music.",
            "Making things with your hands is a good way to quieten a busy head.",
        ),
        ("evening", "afternoon", "weekend"),
        cost="either",
        prices=(("5.00", "£5, or free if you're on benefits"),),
    ),
    _o(
        ("Photography Walks", "Community Theatre Group", "Drumming Circle"),
        ("creative-arts", "social-connection"),
        (
            "We explore the streets of {hood} together and see them differently.",
            "Beginners are very welcome. Most of us were beginners a year ago.",
        ),
        ("weekend", "evening"),
        cost="either",
        prices=(("6.00", "£6 a session, first session free"),),
    ),
)
GREEN = (
    _o(
        ("Community Garden Sessions", "Growing Together", "{park} Gardening Volunteers"),
        ("green-spaces", "volunteering"),
        (
            "Get your hands in the soil: planting, weeding, composting and a lot of tea.",
            "No experience needed. We'll show you what to do and lend you gloves and boots.",
            "Everything we grow is shared between volunteers and the local food bank.",
            "There are raised beds for people who can't kneel, and a path wide enough for wheelchairs.",
        ),
        ("morning", "weekend"),
    ),
    _o(
        ("Wellbeing Walk", "Health Walk round {park}", "Nature Walk and Talk"),
        ("green-spaces", "physical-activity"),
        (
            "A gentle walk of about an hour, at the pace of the slowest walker.",
            "We meet at the main gate and finish at the cafe.",
            "Walking side by side makes talking easier.",
        ),
        ("morning", "weekend"),
    ),
)
SPORT = (
    _o(
        ("Mental Health Football", "Park Run Buddies", "Boxing for Wellbeing", "Couch to 5k"),
        ("physical-activity",),
        (
            "All abilities, all fitness levels, all shapes and sizes.",
            "It's about feeling better, not winning, although we do like winning.",
            "Trainers and kit can be borrowed.",
        ),
        ("evening", "weekend"),
        cost="either",
        prices=(("4.00", "£4 a session"), ("2.00", "£2 concessions")),
    ),
    _o(
        ("Dads' Football and Chat", "Men's Walk and Talk", "Blokes' Breakfast"),
        ("men", "physical-activity"),
        (
            "We're a small group of dads who kick a ball about and then talk over a cuppa.",
            "Men don't always find it easy to talk. We find it's easier side by side.",
            "No one has to say anything they don't want to.",
        ),
        ("weekend", "evening"),
    ),
)
MEN = (
    _o(
        ("Men's Shed", "Men's Talking Group", "Brothers' Circle"),
        ("men", "peer-support"),
        (
            "We're a group of men who get together to make things, fix things and talk.",
            "Started by a few of us who'd hit a rough patch and didn't want to go through it alone.",
            "Tools, wood and a workbench are provided. Bring a project or help with ours.",
            "We meet, we talk, we look out for each other.",
        ),
        ("evening", "weekend"),
        cost="either",
        prices=(("2.00", "£2 towards materials"),),
    ),
)
WOMEN = (
    _o(
        ("Women's Wellbeing Circle", "Sister Space", "Women's Sewing Group"),
        ("women", "social-connection"),
        (
            "A warm, women-only space to talk, make and rest.",
            "We're mums, grandmothers, students and workers from all over the world.",
            "A creche is available if you book the day before.",
        ),
        ("morning", "afternoon"),
    ),
    _o(
        ("Domestic Abuse Support", "Freedom Programme", "Safe Space Drop-in"),
        ("domestic-abuse", "women"),
        (
            "Confidential support if someone close to you is hurting, scaring or controlling you.",
            "We can help with safety planning, housing, legal protection and talking it through.",
            "You don't have to have left, or want to leave, to talk to us.",
        ),
        ("office", "course"),
    ),
    _o(
        ("Sexual Violence Support", "Survivors' Group"),
        ("sexual-violence",),
        (
            "Support for anyone who has experienced rape or sexual abuse, recently or in the past.",
            "You don't have to report to the police to get support from us.",
            "One-to-one sessions with a trained support worker, and a peer group for survivors.",
        ),
        ("office",),
        attending="appointment",
    ),
)
FAMILY = (
    _o(
        ("Parents' Coffee Morning", "New Parents' Group", "Dads and Bumps", "Baby Bounce and Chat"),
        ("parents-perinatal",),
        (
            "For parents, carers and parents-to-be, with babies and little ones in tow.",
            "Nobody has it all worked out. Come and be honest about how it's going.",
            "There's a play mat, toys and a corner for feeding.",
            "We talk about sleep, crying, relationships and how you're doing, not just the baby.",
        ),
        ("morning",),
    ),
    _o(
        ("Carers' Cafe", "Carers' Support Group", "Time Out for Carers"),
        ("carers",),
        (
            "For anyone looking after a family member or friend who couldn't manage without them.",
            "A couple of hours for you: a chat, a massage, or just a sit down with a hot drink.",
            "We can help with carer's assessments and carer's allowance.",
        ),
        ("monthly", "afternoon"),
    ),
)
YOUTH = (
    _o(
        ("Youth Club", "Young People's Drop-in", "After-School Hangout"),
        ("young-people", "social-connection"),
        (
            "Table tennis, music, snacks and youth workers who actually listen.",
            "Come with mates or come on your own. Plenty of people do.",
            "If you want to talk about something private, there's a quiet room.",
        ),
        ("evening",),
        minimum_age=11,
        maximum_age=19,
    ),
    _o(
        ("Young People's Counselling", "Talk It Out (ages 16 to 25)"),
        ("young-people", "talking-therapy"),
        (
            "Free, confidential counselling for young people, up to twelve sessions.",
            "You can refer yourself. You don't need your parents' permission.",
        ),
        ("office",),
        minimum_age=16,
        maximum_age=25,
        attending="appointment",
    ),
    _o(
        ("LGBTQ+ Youth Group", "Queer Youth Night"),
        ("lgbtq", "young-people"),
        (
            "A space for LGBTQ+ and questioning young people to be themselves.",
            "Run by youth workers who are part of the community.",
        ),
        ("evening",),
        minimum_age=13,
        maximum_age=21,
    ),
)
LGBTQ = (
    _o(
        (
            "LGBTQ+ Social",
            "Queer Peer Support",
            "Rainbow Coffee Morning",
            "Trans Community Meet-up",
        ),
        ("lgbtq", "peer-support"),
        (
            "A friendly, sober space for LGBTQ+ people to meet and talk.",
            "Whatever your identity, and wherever you are with it, you're welcome.",
            "Pronoun badges at the door, if you want one.",
        ),
        ("evening", "weekend", "monthly"),
    ),
)
REFUGEES = (
    _o(
        ("Refugee Welcome Drop-in", "Migrant Support Cafe", "New Neighbours Club"),
        ("refugees-migrants", "social-connection"),
        (
            "Friendly help for people who have come to the UK recently, whatever your status.",
            "We can help with registering with a GP, finding English classes and understanding letters.",
            "Interpreters are usually around, and there's always food.",
        ),
        ("afternoon", "weekend"),
    ),
    _o(
        ("Immigration Advice Clinic", "Asylum Support Advice"),
        ("refugees-migrants", "legal-advice"),
        (
            "Free, regulated immigration advice from an accredited adviser.",
            "Appointments are confidential. Bring your documents if you have them.",
        ),
        ("office", "monthly"),
        attending="appointment",
    ),
    _o(
        ("ESOL Conversation Club", "English for Everyday Life"),
        ("refugees-migrants", "learning-skills"),
        (
            "Practise your English with friendly volunteers over tea.",
            "All levels welcome, from your first words to nearly fluent.",
        ),
        ("morning", "evening"),
    ),
)
VETERANS = (
    _o(
        ("Veterans' Breakfast Club", "Armed Forces Drop-in"),
        ("veterans", "peer-support"),
        (
            "A full English and good company for anyone who served, and their families.",
            "We can point you to help with housing, benefits, pensions and health.",
            "Plenty of banter, no judgement.",
        ),
        ("weekend", "monthly"),
    ),
)
VOLUNTEERING = (
    _o(
        ("Volunteer With Us", "Community Volunteering Drop-in", "Try Volunteering Day"),
        ("volunteering",),
        (
            "Giving a few hours a week is one of the best things you can do for your own wellbeing.",
            "We'll find something that suits you: cooking, gardening, driving, chatting or admin.",
            "No CV or experience needed. We give references once you've been with us a while.",
        ),
        ("office", "morning"),
    ),
)
BEFRIENDING = (
    _o(
        ("Befriending Scheme", "Friendly Phone Calls", "Walk and Talk Buddies"),
        ("befriending",),
        (
            "We match you with a volunteer who shares your interests, for a weekly chat or walk.",
            "It's for anyone who feels lonely or cut off, at any age.",
            "Our volunteers are trained and checked, and we stay in touch with both of you.",
        ),
        ("office",),
        attending="phone",
    ),
)
COUNSELLING = (
    _o(
        ("Low-Cost Counselling", "Community Counselling Service", "Short-Term Counselling"),
        ("talking-therapy",),
        (
            "Six to twelve sessions with a qualified counsellor, in person or online.",
            "You pay what you can afford, from £10 a session.",
            "Several of our counsellors work in languages other than English.",
            "We'll ring you within a week of getting your form to arrange a first chat.",
        ),
        ("office", "evening"),
        cost="paid",
        prices=(("10.00", "From £10 a session, on a sliding scale"), ("40.00", "£40 a session")),
        attending="appointment",
    ),
    _o(
        ("Walk-in Counselling", "Single-Session Therapy"),
        ("talking-therapy", "crisis"),
        (
            "A one-off session with a counsellor, the same day, without an appointment.",
            "Sometimes one good conversation is enough to see the way forward.",
        ),
        ("afternoon", "weekend"),
    ),
)
CRISIS = (
    _o(
        ("Crisis Cafe", "Evening Sanctuary", "Safe Haven"),
        ("crisis",),
        (
            "An evening alternative to A&E for when things feel too much.",
            "Walk in, have a hot drink and talk to trained staff and volunteers who have been there.",
            "We can help you make a plan for tonight and tomorrow.",
            "If you are in danger right now, call 999.",
        ),
        ("late",),
    ),
    _o(
        ("24-hour Listening Line", "Night Line"),
        ("crisis", "befriending"),
        (
            "A phone line answered by trained volunteers, any time of day or night.",
            "You can talk about anything. We won't judge or tell you what to do.",
        ),
        ("always",),
        attending="phone",
    ),
)
GP = (
    _o(
        ("GP Appointments", "Register with a GP"),
        ("gp",),
        (
            "Anyone living in our area can register, with or without proof of address or ID.",
            "Book by phone, online or at reception. Same-day appointments are kept for urgent needs.",
            "You can ask to see a doctor or nurse of a particular gender.",
        ),
        ("gp",),
    ),
    _o(
        ("Social Prescribing", "Community Link Worker"),
        ("gp", "social-connection"),
        (
            "A link worker can spend time with you on what matters to you, and connect you to local groups and advice.",
            "Ask at reception or refer yourself by phone. You don't need to see a GP first.",
        ),
        ("office",),
        attending="appointment",
    ),
    _o(
        ("Mental Health Practitioner Clinic", "Primary Care Mental Health Nurse"),
        ("gp", "community-mental-health"),
        (
            "Appointments with a mental health practitioner based at the surgery.",
            "Your GP can book you in after a first conversation about how you're feeling.",
        ),
        ("office",),
        needs_referral=True,
        referral_process="Ask your GP, who will book an appointment for you.",
        attending="appointment",
    ),
)
NHS = (
    _o(
        ("Community Mental Health Team", "Adult Mental Health Team ({hood})"),
        ("community-mental-health",),
        (
            "Assessment, care and treatment for adults with severe or long-lasting mental health problems.",
            "You will have a named worker and a plan you write together.",
            "Support with medication, psychological therapy, housing, work and family.",
        ),
        ("office",),
        needs_referral=True,
        referral_process="A GP or another professional refers you. If you are already known to the team, call your care coordinator.",
        attending="appointment",
    ),
    _o(
        ("NHS Talking Therapies", "Talking Therapies for Anxiety and Depression"),
        ("talking-therapy", "self-care-courses"),
        (
            "Free NHS therapy for anxiety, depression and stress, one-to-one, in groups or online.",
            "You can refer yourself online or by phone, without seeing your GP.",
            "Appointments are available in the evening and in many languages.",
        ),
        ("office",),
        attending="appointment",
    ),
    _o(
        ("Eating Disorders Outpatient Service",),
        ("eating-disorders",),
        (
            "Specialist assessment and treatment for adults with eating disorders.",
            "Treatment is based on talking therapies, with dietetic and medical support.",
        ),
        ("office",),
        needs_referral=True,
        referral_process="Your GP refers you after a physical health check.",
        attending="appointment",
    ),
    _o(
        ("Early Intervention in Psychosis Team",),
        ("hearing-voices", "community-mental-health"),
        (
            "Support for people aged 14 to 65 experiencing psychosis for the first time.",
            "Therapy, medication if you want it, and help with work, study and family.",
        ),
        ("office",),
        needs_referral=True,
        referral_process="Referral from a GP, A&E, the crisis team or another professional.",
        minimum_age=14,
        maximum_age=65,
        attending="appointment",
    ),
    _o(
        ("Perinatal Mental Health Team",),
        ("parents-perinatal", "community-mental-health"),
        (
            "For people who are pregnant or have a baby under one and are struggling with their mental health.",
            "Home visits, therapy and support for the whole family.",
        ),
        ("office",),
        needs_referral=True,
        referral_process="Your midwife, health visitor or GP refers you.",
        attending="appointment",
    ),
    _o(
        ("Memory Assessment Service",),
        ("older-people", "community-mental-health"),
        (
            "Assessment and support for people worried about their memory, and their families.",
            "Appointments can be at home or at the clinic.",
        ),
        ("office",),
        needs_referral=True,
        referral_process="Ask your GP to refer you.",
        minimum_age=50,
        attending="appointment",
    ),
    _o(
        ("Pain Management Programme",),
        ("long-term-conditions",),
        (
            "An eight-week programme run by a physiotherapist and a psychologist.",
            "Learn ways to do more of what matters, even when the pain doesn't go away.",
        ),
        ("course",),
        needs_referral=True,
        referral_process="Your GP or hospital consultant refers you.",
    ),
)

# Places to talk: everyday spaces whose hosts are trained to offer a compassionate conversation.
TALK_BARBER = _o(
    ("A Chat in the Chair", "Talk While You Trim", "Open Chair Conversations"),
    ("talking-space", "men"),
    (
        "It's a barbershop first, but a lot gets said in that chair.",
        "Our barbers have trained to listen properly and to know where to point you if you need more.",
        "You don't need to book a cut to come in for a chat.",
        "If the shop is busy, grab a seat and a coffee. We'll get to you.",
    ),
    ("shop",),
)
TALK_HAIR = _o(
    ("Time to Talk at the Salon", "Listening Chair", "Hair and Heart"),
    ("talking-space", "women"),
    (
        "People tell their hairdresser things they don't tell anyone else, so we learned how to listen well.",
        "Our stylists can share details of local support if you'd like, and never push.",
        "Pop in for a chat even if you're not having anything done.",
    ),
    ("shop",),
)
TALK_CAFE = _o(
    ("Chatty Table", "Talk Over Tea", "Open Table"),
    ("talking-space", "social-connection"),
    (
        "Sit at the table with the little sign if you're happy for someone to join you for a chat.",
        "Our staff are trained in mental health first aid and always have time for a word.",
        "The first cup of tea is free if you're on your own.",
    ),
    ("shop",),
)
TALK_LIBRARY = _o(
    ("Quiet Corner and Listening Ear", "Library Chat Point", "Wellbeing Shelf and Chat"),
    ("talking-space", "learning-skills"),
    (
        "Ask any member of staff for a chat; they're trained to listen and know what's on locally.",
        "Our wellbeing shelf has books on anxiety, grief, sleep and more, to borrow or read here.",
        "It's warm, it's free and nobody will ask you to leave.",
    ),
    ("shop",),
)
TALK_PUB = _o(
    ("Quiet Pint, Good Listen",),
    ("talking-space", "men"),
    (
        "A traditional boozer with a soft spot for its regulars.",
        "The bar staff have done mental health training and the back room is quiet on weekday afternoons.",
        "Soft drinks and a pot of tea are always on, and nobody cares what's in your glass.",
    ),
    ("shop",),
)
TALK_LAUNDERETTE = _o(
    ("Wash and Talk", "Spin Cycle Chats"),
    ("talking-space", "social-connection"),
    (
        "While the machines go round, our attendant is always up for a chat.",
        "There's a noticeboard full of what's on locally, and we can help you find the right thing.",
    ),
    ("shop",),
)
TALK_SHOP = _o(
    ("Community Corner", "Chat Corner by the Tills"),
    ("talking-space", "food"),
    (
        "A table and chairs by the entrance where our community champion sits most mornings.",
        "Stop for a free cuppa and a chat, whether you're shopping or not.",
        "Ask about our free fruit for children and the food bank collection point.",
    ),
    ("shop",),
)


def _kind(key: str, count: int, names: tuple[str, ...], about: tuple[str, ...], offers: tuple[Offer, ...], **kwargs: object) -> OrgKind:  # fmt: skip
    return OrgKind(key, count, names, about, offers, **kwargs)  # type: ignore[arg-type]


ORG_KINDS: tuple[OrgKind, ...] = (
    _kind(
        "barber",
        8,
        ("{prefix} Barbers", "{prefix} Barbershop", "{prefix} Grooming Room"),
        (
            "An independent barbershop on {street}.",
            "Fades, shape-ups, beards and hot towel shaves.",
        ),
        (TALK_BARBER,),
        services=(1, 1),
        locations=(1, 1),
        voice="host",
    ),
    _kind(
        "hairdresser",
        6,
        ("{prefix} Hair Studio", "{prefix} Salon", "Hair by {name}"),
        ("A friendly salon on {street}.", "Natural hair, braids, colour and cuts for everyone."),
        (TALK_HAIR,),
        services=(1, 1),
        locations=(1, 1),
        voice="host",
    ),
    _kind(
        "cafe",
        8,
        ("{word} Cafe", "The {word} Coffee House", "{name}'s Kitchen"),
        (
            "A neighbourhood cafe serving good coffee and home cooking.",
            "Family-run since we opened.",
        ),
        (TALK_CAFE,),
        services=(1, 1),
        locations=(1, 1),
        voice="host",
    ),
    _kind(
        "library",
        3,
        ("{word} Community Library", "{street} Reading Rooms"),
        ("A community-run library, kept open by volunteers.",),
        (TALK_LIBRARY,),
        services=(1, 1),
        locations=(1, 1),
        voice="host",
    ),
    _kind(
        "pub",
        1,
        ("The {word} Arms",),
        ("A proper local pub.",),
        (TALK_PUB,),
        services=(1, 1),
        locations=(1, 1),
        voice="host",
    ),
    _kind(
        "launderette",
        2,
        ("{word} Launderette", "Suds on {street}"),
        ("A family-run launderette.",),
        (TALK_LAUNDERETTE,),
        services=(1, 1),
        locations=(1, 1),
        voice="host",
    ),
    _kind(
        "supermarket",
        2,
        ("Fairshare Foods {hood}", "{word} Co-operative Store"),
        ("A community-owned grocery store.",),
        (TALK_SHOP,),
        services=(1, 1),
        locations=(1, 1),
        voice="host",
    ),
    _kind(
        "gp",
        7,
        ("{word} Medical Practice", "{street} Surgery", "{word} Health Centre"),
        ("A fictional NHS GP practice for the demo locality.",),
        GP,
        services=(2, 3),
        locations=(1, 2),
        voice="nhs",
    ),
    _kind(
        "nhs",
        3,
        (
            "South Thames Wellbeing Trust (fictional)",
            "Effra Valley Mental Health Services (fictional)",
            "Lambeth Minds Together Partnership (fictional)",
        ),
        ("A fictional NHS-style provider for the demo locality.",),
        NHS,
        services=(3, 4),
        locations=(2, 3),
        voice="nhs",
    ),
    _kind(
        "advice",
        10,
        (
            "{hood} Advice Centre",
            "{word} Money and Housing Advice",
            "{hood} Law Centre",
            "{word} Advice Network",
        ),
        (
            "Free, independent and confidential advice.",
            "We help people sort out money, housing and work problems.",
        ),
        ADVICE,
        services=(2, 5),
        locations=(1, 3),
        voice="charity",
    ),
    _kind(
        "food",
        8,
        ("{hood} Community Kitchen", "{word} Food Project", "{street} Community Fridge"),
        ("Good food for everyone, and nobody eats alone.",),
        FOOD + VOLUNTEERING,
        services=(2, 3),
        locations=(1, 3),
        voice="charity",
    ),
    _kind(
        "peer",
        12,
        ("{word} Peer Network", "{hood} Minds Together", "{word} Circle", "The {word} Collective"),
        ("Peer support run by people with lived experience of mental distress.",),
        PEER,
        services=(2, 4),
        locations=(1, 2),
    ),
    _kind(
        "recovery",
        4,
        ("{word} Recovery Community", "{hood} Recovery Project"),
        ("A recovery community run by and for people affected by drink, drugs and gambling.",),
        RECOVERY,
        services=(2, 3),
        locations=(1, 2),
    ),
    _kind(
        "community",
        14,
        (
            "{street} Community Centre",
            "{hood} Community Hub",
            "{word} Neighbourhood House",
            "The {word} Centre",
        ),
        ("A community centre at the heart of {hood}.", "Run by local people, open to everyone."),
        COMMUNITY + FOOD + OLDER,
        services=(3, 6),
        locations=(1, 3),
        voice="charity",
    ),
    _kind(
        "faith",
        8,
        (
            "St {saint}'s Church",
            "{hood} Mosque Community Hub",
            "{word} Baptist Fellowship",
            "{hood} Gurdwara Community Kitchen",
            "{street} Methodist Church",
        ),
        ("A faith community open to everyone, of any faith or none.",),
        FAITH + FOOD,
        services=(2, 3),
        locations=(1, 2),
        voice="charity",
    ),
    _kind(
        "arts",
        8,
        ("{word} Arts Collective", "{hood} Community Arts", "The {word} Studio"),
        ("Arts for everyone, especially people who think they're not arty.",),
        ARTS,
        services=(2, 3),
        locations=(1, 2),
    ),
    _kind(
        "green",
        7,
        ("Friends of {park}", "{word} Growers", "{hood} Community Garden"),
        ("Gardening, nature and fresh air for everyone.",),
        GREEN + VOLUNTEERING,
        services=(2, 3),
        locations=(1, 2),
    ),
    _kind(
        "sport",
        7,
        ("{hood} Sports for All", "{word} Running Club", "{hood} Boxing Club"),
        ("Sport and exercise for mental health.",),
        SPORT,
        services=(2, 3),
        locations=(1, 2),
    ),
    _kind(
        "youth",
        6,
        ("{hood} Youth Project", "{word} Young People's Trust", "{street} Youth Club"),
        ("Youth work for 11 to 25 year olds.",),
        YOUTH,
        services=(2, 3),
        locations=(1, 2),
        voice="charity",
    ),
    _kind(
        "older",
        5,
        ("{hood} Age Together", "{word} Friends of Older People"),
        ("Support and friendship for older people in {hood}.",),
        OLDER + BEFRIENDING,
        services=(2, 3),
        locations=(1, 2),
        voice="charity",
    ),
    _kind(
        "family",
        8,
        (
            "{hood} Family Network",
            "{word} Parents",
            "{hood} Carers' Centre",
            "{word} Families Together",
        ),
        ("Support for families, parents and carers.",),
        FAMILY,
        services=(2, 3),
        locations=(1, 2),
        voice="charity",
    ),
    _kind(
        "lgbtq",
        3,
        ("{word} Pride Network", "Queer {hood}"),
        ("By and for LGBTQ+ people in south London.",),
        LGBTQ + YOUTH[2:],
        services=(2, 3),
        locations=(1, 2),
    ),
    _kind(
        "men",
        4,
        ("{hood} Men's Shed", "{word} Brothers", "Dads of {hood}"),
        ("We're men looking out for each other.",),
        MEN + SPORT[1:],
        services=(2, 2),
        locations=(1, 2),
    ),
    _kind(
        "women",
        6,
        ("{word} Women's Centre", "{hood} Women's Network", "Sisters of {hood}"),
        ("A women-only space for support, safety and friendship.",),
        WOMEN,
        services=(2, 3),
        locations=(1, 2),
        voice="charity",
    ),
    _kind(
        "refugees",
        5,
        ("{word} Refugee Welcome", "{hood} Migrant Support", "New Neighbours {hood}"),
        ("Welcome, friendship and practical help for refugees and migrants.",),
        REFUGEES,
        services=(2, 3),
        locations=(1, 2),
        voice="charity",
    ),
    _kind(
        "veterans",
        2,
        ("{hood} Veterans' Association", "{word} Forces Friends"),
        ("By veterans, for veterans and their families.",),
        VETERANS + BEFRIENDING,
        services=(2, 2),
        locations=(1, 2),
    ),
    _kind(
        "volunteering",
        3,
        ("{hood} Volunteer Centre", "{word} Time Bank"),
        ("Connecting people who want to help with the groups that need them.",),
        VOLUNTEERING + COMMUNITY[2:3],
        services=(2, 2),
        locations=(1, 2),
        voice="charity",
    ),
    _kind(
        "befriending",
        4,
        ("{word} Befrienders", "{hood} Good Neighbours"),
        ("Friendship for anyone who feels lonely.",),
        BEFRIENDING + OLDER + FAITH[1:],
        services=(2, 3),
        locations=(1, 2),
        voice="charity",
    ),
    _kind(
        "counselling",
        5,
        ("{word} Counselling", "{hood} Counselling Service", "{word} Therapy Collective"),
        ("Affordable counselling and therapy, close to home.",),
        COUNSELLING,
        services=(1, 2),
        locations=(1, 2),
        voice="charity",
    ),
    _kind(
        "crisis",
        2,
        ("{word} Sanctuary", "{hood} Crisis Network"),
        ("Somewhere to turn when things are too much.",),
        CRISIS,
        services=(2, 2),
        locations=(1, 2),
        voice="charity",
    ),
)

SAINTS = ("Jude", "Luke", "Mark", "Matthew", "Anne", "Saviour", "Barnabas", "Paul", "Agnes")
HOST_PREFIXES = (
    "Fresh Fade",
    "Sharp Lines",
    "Kings Cut",
    "Crown and Clipper",
    "Level Up",
    "Sunday Best",
    "Clean Cut",
    "Golden Scissors",
    "Curl Up",
    "Twist and Shout",
    "Braid Theory",
    "Mane Street",
    "Top Notch",
    "First Class",
)
TRAINING_COURSES = (
    "Mental Health First Aid",
    "Suicide prevention awareness",
    "Kith conversation skills (fictional course)",
    "Connect 5 mental wellbeing training",
)
ACCESS_STEP_FREE = (
    "Step-free entrance from the street",
    "Level access throughout the ground floor",
    "Ramp at the side entrance; ring the bell for help",
)
ACCESS_STEPS = (
    "Two steps at the front door, with a handrail",
    "The room is on the first floor and there is no lift",
    "Steep steps down to the basement hall",
)
ACCESS_EXTRAS = (
    "Accessible toilet",
    "Hearing loop at reception",
    "Quiet room available",
    "Assistance dogs welcome",
    "Large print information",
    "Baby changing facilities",
    "Seating while you wait",
)
VENUES = (
    "St {saint}'s Church Hall",
    "{street} Community Rooms",
    "{hood} Library meeting room",
    "The {word} Room",
    "{park} pavilion",
    "{street} Tenants' Hall",
)
CLOSED_REASONS = (
    "Bank holiday",
    "Staff training day",
    "Building closed for repairs",
    "Summer break",
)
