"""The demo text: names, titles, community patterns, and post and comment templates rendered once
(skill names, slugs and handles are filled into the rendered HTML)."""

from __future__ import annotations

from functools import cache
from html import escape

from domain.markdown import PROFILE_PATH, render_markdown


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SKILL = "SKILLNAMEZ"  # placeholders that markdown leaves alone (letters only)
SLUG = "SKILLSLUGZ"
HANDLE = "HANDLEZ"
FIRST_NAMES = _words(
    "Aaliyah Abebe Adaeze Aditi Ahmed Aiko Alejandro Alex Alice Amir Ana Anders Andrea Anika "
    "Arjun Astrid Aylin Bashir Beatriz Ben Bianca Camila Carlos Chiara Chloe Chidi Daniel Daria "
    "David Deepa Diego Dmitri Elena Emeka Emma Ethan Fatima Felix Fiona Gabriel Grace Hamza Hannah "
    "Hiroshi Ines Ingrid Isaac Ivan Jamal Jana Javier Jia Joao Jonas Jose Julia Kai Kamala Karim "
    "Kate Kenji Khadija Kofi Lars Laura Leila Leo Liam Lina Lucas Lucia Maja Malik Marco Maria "
    "Mateo Maya Mei Mohammed Nadia Naomi Nia Nikhil Nina Noah Olga Omar Oskar Paolo Pedro Priya "
    "Rafael Ravi Rosa Ryo Sahar Samuel Sara Sean Sofia Sven Tariq Thandiwe Tomas Uma Valentina "
    "Viktor Wei Yara Yusuf Zainab Zoe"
)
LAST_NAMES = _words(
    "Abara Adeyemi Ahmed Alvarez Andersson Bakker Banerjee Becker Bianchi Chen Costa Cruz Dubois "
    "Eriksen Fernandes Fischer Garcia Gonzalez Gupta Haddad Hansen Hoffmann Horvat Ibrahim Ito "
    "Jensen Johansson Kaur Khan Kim Kowalski Kruger Larsen Lee Lindqvist Lopez Mahlangu Martin "
    "Mendes Meyer Moreau Muller Murphy Nakamura Ndlovu Nguyen Nielsen Novak Nowak Obi Okeke "
    "Oliveira Osei Park Patel Pereira Petrov Popescu Qureshi Rahman Ramos Reddy Rossi Russo Sato "
    "Schmidt Schneider Shah Silva Singh Smith Suzuki Svensson Tanaka Taylor Torres Tran Visser "
    "Vasquez Wagner Walker Wang Weber Williams Wong Yamamoto Yilmaz Zhang Zimmermann"
)
JOB_TITLES = (
    "Software Engineer",
    "Senior Software Engineer",
    "Staff Engineer",
    "Backend Engineer",
    "Frontend Engineer",
    "Mobile Engineer",
    "Site Reliability Engineer",
    "Data Engineer",
    "Data Scientist",
    "Data Analyst",
    "Machine Learning Engineer",
    "Security Engineer",
    "QA Engineer",
    "Product Manager",
    "Product Designer",
    "UX Researcher",
    "Engineering Manager",
    "Technical Writer",
    "Solutions Architect",
    "Cloud Architect",
    "Scrum Master",
    "Agile Coach",
    "Business Analyst",
    "Programme Manager",
    "Learning & Development Partner",
    "People Partner",
    "Customer Success Manager",
    "Support Engineer",
    "Sales Engineer",
    "Marketing Manager",
    "Finance Analyst",
    "Operations Manager",
    "Head of Platform",
    "Principal Engineer",
    "Developer Advocate",
    "Designer",
    "Researcher",
    "Consultant",
)
# The demo people work around the globe, so a question asked at any hour finds someone at work.
DEMO_LOCATIONS = (
    ("London", "Europe/London"),
    ("Singapore", "Asia/Singapore"),
    ("New York", "America/New_York"),
    ("Bangalore", "Asia/Kolkata"),
    ("Berlin", "Europe/Berlin"),
    ("Sao Paulo", "America/Sao_Paulo"),
    ("Melbourne", "Australia/Melbourne"),
    ("Seoul", "Asia/Seoul"),
    ("Nairobi", "Africa/Nairobi"),
    ("Chicago", "America/Chicago"),
)
# Working hours as stored ("ISO weekdays HH:MM-HH:MM"); None is Monday to Friday, 09:00-17:00.
WORK_PATTERNS = (
    None,
    None,
    None,
    "12345 08:00-16:00",
    "1234 10:00-18:00",
    None,
    "12345 07:30-15:30",
    "23456 12:00-20:00",
    None,
    "12345 22:00-06:00",
)

LOCATIONS = (
    ("Amsterdam", "Europe/Amsterdam"),
    ("Bangalore", "Asia/Kolkata"),
    ("Berlin", "Europe/Berlin"),
    ("Boston", "America/New_York"),
    ("Cape Town", "Africa/Johannesburg"),
    ("Chicago", "America/Chicago"),
    ("Dublin", "Europe/Dublin"),
    ("Lagos", "Africa/Lagos"),
    ("Lisbon", "Europe/Lisbon"),
    ("London", "Europe/London"),
    ("Madrid", "Europe/Madrid"),
    ("Melbourne", "Australia/Melbourne"),
    ("Mexico City", "America/Mexico_City"),
    ("Montreal", "America/Toronto"),
    ("Nairobi", "Africa/Nairobi"),
    ("New York", "America/New_York"),
    ("Paris", "Europe/Paris"),
    ("Sao Paulo", "America/Sao_Paulo"),
    ("Seoul", "Asia/Seoul"),
    ("Singapore", "Asia/Singapore"),
    ("Stockholm", "Europe/Stockholm"),
    ("Tokyo", "Asia/Tokyo"),
    ("Toronto", "America/Toronto"),
    ("Warsaw", "Europe/Warsaw"),
    ("Remote", "UTC"),
)
BIOS = (
    "I like turning messy problems into simple systems.",
    "Happiest when pairing with someone on a hard problem.",
    "Learning in public, one experiment at a time.",
    "I help teams ship calmly and often.",
    "Curious about how people learn at work.",
    "Ask me about the things I broke in production, and how we fixed them.",
    "Writing things down so the next person does not have to ask.",
    "Mentor, tinkerer, occasional conference speaker.",
    "Interested in the craft and in the people who practise it.",
    "Always up for a whiteboard session.",
)
COMMUNITY_PATTERNS = (
    "{skill} Guild",
    "{skill} Community of Practice",
    "{skill} Practitioners",
    "{skill} Circle",
    "{skill} Chapter",
    "{skill} Learning Group",
    "{skill} Network",
    "{skill} Forum",
    "{skill} Club",
    "{skill} Collective",
    "{skill} Working Group",
    "{skill} Lab",
    "{skill} Study Group",
    "{skill} Exchange",
)
COMMUNITY_QUALIFIERS = (
    "",
    " EMEA",
    " Americas",
    " APAC",
    " Beginners",
    " Leads",
    " Berlin",
    " Lisbon",
    " Nairobi",
    " London",
    " Toronto",
    " Singapore",
    " Bangalore",
    " Sao Paulo",
    " Platform",
    " Payments",
    " Mobile",
    " Research",
    " Newcomers",
    " Deep Dives",
)
PURPOSES = (
    "Practitioners of {skill} share what works, answer each other's questions and help the next "
    "people on the team get good at it.",
    "We meet to get better at {skill} together: show-and-tells, reviews of real work, and honest "
    "answers to hard questions.",
    "A home for everyone who uses {skill} at work, from first steps to deep expertise, so no team "
    "has to learn the same lessons alone.",
    "To grow our {skill} skills across teams and locations by sharing practices, resources and "
    "the stories behind our mistakes.",
    "Anyone curious about {skill} is welcome: we pair newcomers with experienced practitioners "
    "and keep a living list of good practices.",
)
DESCRIPTIONS = (
    f"## What we do\n\nMonthly show-and-tell on {SKILL}, a question thread that never sleeps, and "
    "a shared reading list.\n\n## How to take part\n\n- Introduce yourself in a discussion\n"
    "- Ask anything, however basic\n- Share one thing you learned this month",
    "We are a community of practice: **everyone leads**. Stewards rotate, anyone can propose a "
    f"session, and the best answers get accepted so others find them.\n\nNew to {SKILL}? "
    "Start with the pinned best practices.",
    f"This community collects what our teams know about {SKILL}.\n\n1. Ask questions early\n"
    "2. Answer when you can\n3. Endorse the people who helped you",
)
TITLES: dict[str, tuple[str, ...]] = {
    "question": (
        "How do you get started with {skill} on an existing codebase?",
        "What is your team's approach to {skill} reviews?",
        "{skill}: how do you keep it maintainable over time?",
        "Anyone using {skill} with {other}?",
        "How do we measure whether {skill} is working for us?",
        "Best way to onboard a new team member to {skill}?",
        "Struggling with {skill} at scale: where do we start?",
        "Is {skill} worth it for a small team?",
        "How do you explain {skill} to stakeholders?",
        "Which {skill} habits made the biggest difference for you?",
        "What should we read first about {skill}?",
        "How do you decide between {skill} and {other}?",
    ),
    "discussion": (
        "What we learned moving our team to {skill}",
        "Is {skill} overrated? An honest thread",
        "{skill} and {other}: where do they meet?",
        "Share your {skill} wins (and failures) from this quarter",
        "The state of {skill} in our organisation",
        "Thoughts on the future of {skill}",
        "How does your team run {skill} retrospectives?",
        "Unpopular opinions about {skill}",
        "{skill} in practice: what surprised you?",
        "Pairing sessions on {skill}: who is in?",
    ),
    "best_practice": (
        "Our {skill} checklist, after two years of practice",
        "{n} lessons from running {skill} in production",
        "A lightweight {skill} process that teams actually follow",
        "{skill}: do this before you do anything else",
        "How we review {skill} work without slowing down",
        "Practical guardrails for {skill}",
        "The {skill} playbook for new teams",
        "Getting {skill} right: small steps that compound",
    ),
    "resource": (
        "Great introduction to {skill}",
        "Reading list: {skill} for practitioners",
        "Free course on {skill} worth your time",
        "Talk recording: {skill} at scale",
        "Cheat sheet for {skill}",
        "Podcast episode on {skill} and {other}",
        "Workshop slides: hands-on {skill}",
        "A book on {skill} that changed how our team works",
    ),
}
INTROS: dict[str, tuple[str, ...]] = {
    "question": (
        f"Our team has been using {SKILL} for a few months and we keep running into the same "
        "problems. Before we reinvent the wheel, I would love to hear how others handle it.",
        f"I am fairly new to {SKILL} and my team expects me to own it next quarter. What would "
        "you focus on first?",
        f"We have a disagreement in the team about {SKILL}. Half of us want to go all in, the "
        "other half thinks it adds process for little gain. How did you decide?",
        f"Quick question for the {SKILL} people here: how do you structure the work so that it "
        "survives when the original author moves on?",
        f"Context: a product team of six, a legacy service, and a deadline. Where does {SKILL} "
        "fit, if at all?",
    ),
    "discussion": (
        f"I want to start a thread about {SKILL}, because every team seems to do it differently "
        "and I think we can learn a lot from each other.",
        f"After a year of practising {SKILL} across three teams, here are some observations. "
        "Curious whether they match yours.",
        f"There was a lively debate about {SKILL} at the last meetup. Let's continue it here so "
        "people in other time zones can join.",
        f"{SKILL} keeps coming up in our planning sessions. I would like to hear how other teams "
        "think about it.",
    ),
    "best_practice": (
        f"This is what our team settled on for {SKILL} after a lot of trial and error. It is not "
        "the only way, but it has held up well.",
        f"We wrote down our {SKILL} practices so new joiners can ramp up quickly. Sharing them "
        "here in case they help your team too.",
        f"Every incident review we ran last year pointed at the same {SKILL} gaps. Here is how "
        "we closed them.",
    ),
    "resource": (
        f"Found this while preparing a session on {SKILL} for the team, and it is the clearest "
        "explanation I have seen.",
        f"If you are getting started with {SKILL}, this is a great place to begin. It is short, "
        "practical and free.",
        f"Sharing a resource on {SKILL} that our team keeps coming back to.",
    ),
}
MIDDLES = (
    f"The biggest lesson so far: keep {SKILL} work small and visible. Big-bang changes fail "
    "quietly, small ones fail loudly and early.",
    f"What worked for us was pairing an experienced person with a newcomer on every {SKILL} "
    "task for the first month. Knowledge spread much faster than through documentation.",
    f"We measure {SKILL} by outcomes the team cares about, not by activity. That single change "
    "made the conversations with stakeholders much easier.",
    f"Documentation matters more than we thought. A one-page guide to **{SKILL}** in the "
    "repository answered half of the questions we used to get in chat.",
    f"Automate the boring parts of {SKILL} first. The time you save pays for the harder "
    "improvements later.",
    f"We run a short {SKILL} review every two weeks. Anyone can bring an example, good or bad, "
    "and we discuss what to change.",
    f"Beware of cargo-culting {SKILL}: copy the reasoning from other teams, not the rituals.",
    f"The hardest part of {SKILL} is not technical. It is agreeing as a team on what good "
    "looks like and sticking to it.",
    f"For {SKILL}, we found that a shared checklist beats a long policy document. People "
    "actually read a checklist.",
    f"When something goes wrong with {SKILL}, we write a blameless note and share it here. "
    "The whole organisation learns from it.",
    f"Start with `{SKILL}` on one service, learn, then roll it out. Trying to do everything at "
    "once exhausted the team.",
    f"Our mentors in {SKILL} hold office hours every Thursday. It turned out to be the "
    "cheapest way to raise the level of the whole team.",
)
LISTS = (
    f"What helped most with {SKILL}:\n\n- agree on conventions early\n- review in pairs\n"
    "- keep examples in the repository\n- celebrate small improvements",
    f"Our checklist for {SKILL}:\n\n1. write down the goal\n2. try it on something small\n"
    "3. measure the result\n4. share what you learned",
    f"Things I wish I had known about {SKILL}:\n\n- it takes practice, not just reading\n"
    "- ask for feedback early\n- the team matters more than the tool",
)
MENTIONS = (
    f"Thanks to @{HANDLE} for the pointers on {SKILL}, they saved the team a lot of time.",
    f"@{HANDLE} knows a lot more about {SKILL} than I do, maybe they can weigh in.",
)
LINK_PARAGRAPHS = (
    f"Link: [A practical guide to {SKILL}](https://learn.example.com/{SLUG}/guide)",
    f"Worth reading: [{SKILL} in practice](https://handbook.example.org/{SLUG}) and the "
    "discussion around it.",
)
LINK_TEMPLATES = (
    ("https://learn.example.com/{slug}/guide", "A practical guide to {skill}"),
    ("https://handbook.example.org/{slug}", "{skill} in practice"),
    ("https://video.example.net/talks/{slug}", "Talk: {skill} at scale"),
)
CLOSINGS: dict[str, tuple[str, ...]] = {
    "question": (
        "Any advice from your team is welcome, thanks in advance!",
        "What would your team do in our place?",
        "Happy to summarise the answers for everyone once the team has tried them.",
    ),
    "discussion": (
        "What does your team think?",
        "Looking forward to hearing how other teams approach this.",
        "Let's keep the thread going, every team's experience counts.",
    ),
    "best_practice": (
        "Feedback from other teams is very welcome, this is a living document.",
        "If your team does it differently, please share, we are still learning.",
    ),
    "resource": (
        "Let me know if your team finds it useful.",
        "Share it with anyone on your team who is getting started.",
    ),
}
ANSWERS = (
    f"We had the same problem with {SKILL}. What fixed it for us was writing down a short "
    "decision record and reviewing it with the whole team.",
    f"Start small: pick one service and apply {SKILL} there for a sprint. You will learn more "
    "than from any amount of planning.",
    f"I would not go all in on {SKILL} yet. Run an experiment, agree on what success looks "
    "like, and decide afterwards.",
    f"Pairing is the answer here. Sit with someone who has done {SKILL} before and do one real "
    "task together.",
    f"Have a look at the pinned best practices in this community, the {SKILL} checklist covers "
    "most of this.",
    f"In my experience the tooling for {SKILL} matters less than the habits around it. Agree "
    "on the habits first.",
    f"We measured it: after adopting {SKILL} our lead time went down and nobody wants to go back.",
    f"Ask your stakeholders what problem {SKILL} should solve for them. If nobody can answer, "
    "you have your answer.",
    f"+1 to everything above. One more tip on {SKILL}: keep the examples in the repository, not "
    "in a wiki nobody reads.",
    f"I can walk you through our {SKILL} setup in a call if that helps, just message me.",
    f"Great question. We wrote a short guide on {SKILL} for our newcomers, happy to share it.",
    f"The trick with {SKILL} is consistency. Whatever you choose, make it the default.",
)
REPLIES = (
    "Thanks, this is really helpful!",
    f"Agreed, we saw the same thing with {SKILL}.",
    "Could you share an example? I would love to see it.",
    "That matches our experience too.",
    f"Interesting, we did the opposite with {SKILL} and it also worked. Context matters.",
    "Trying this next sprint, will report back.",
    "Good point, I had not thought about it that way.",
)
ENDORSEMENT_NOTES = (
    "Helped our team a lot.",
    "Explains things clearly and patiently.",
    "Our go-to person for this.",
    "Did a great workshop on it.",
)
GOAL_NOTES = (
    "For the next project.",
    "Want to mentor others on this eventually.",
    "My manager and I agreed on this in my development plan.",
)
MENTOR_ABOUT = (
    "Happy to pair on real problems from your own work.",
    "I like helping people make their first steps into a new area.",
    "Ask me anything; I learned most of this the hard way.",
    "Thirty minutes every other week works best for me.",
)
REPORT_DETAILS = ("Looks like an advert.", "Not related to this community.", "Unkind tone.")


@cache
def _template_html(template: str, mention: bool = False) -> str:
    """A paragraph template rendered once; the placeholders are plain words markdown keeps.

    `mention`: the template's @HANDLEZ is someone who exists (every seeded handle is an active
    person), so it renders as the profile link a saved post gets; the handle is filled in after.
    """
    return render_markdown(template, frozenset({HANDLE.lower()}) if mention else frozenset())


@cache
def fill(template: str, skill_name: str, slug: str = "", handle: str = "") -> tuple[str, str]:
    """(markdown, html) of a paragraph: the template's html with the placeholders substituted.

    Skill names are plain text (no markdown syntax), so substituting into the rendered template
    gives exactly what rendering the filled paragraph gives (a test checks every template with
    every awkward name in the taxonomy). A `handle` is a seeded, active person: like a saved
    post, the paragraph links its @mention to their profile.
    """
    source = template.replace(SKILL, skill_name)
    html = _template_html(template, bool(handle)).replace(SKILL, escape(skill_name, quote=False))
    if slug:
        source = source.replace(SLUG, slug)
        html = html.replace(SLUG, slug)
    if handle:
        source = source.replace(HANDLE, handle)
        html = html.replace(HANDLE, handle)
        html = html.replace(PROFILE_PATH + HANDLE.lower(), PROFILE_PATH + handle.lower())
    return source, html


def compose(parts: list[tuple[str, str]]) -> tuple[str, str]:
    """Paragraphs joined by blank lines render to the concatenation of their renderings."""
    return "\n\n".join(p[0] for p in parts), "".join(p[1] for p in parts)
