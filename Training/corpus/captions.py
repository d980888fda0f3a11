"""Captions for FoleyWorld 2 clips: what is seen and heard (source, material, action, how
often, setting, camera), in several phrasings, for text prompts and text-conditioned models.
Each phrasing is built from the clip's own scene and events, never from its recordings'
file names."""

# What each class sounds like, as a noun phrase ({m}: the material or kind).
SOUND = {
    "footsteps": "footsteps on {m}", "door": "a door opening and slamming", "glass": "glass shattering",
    "bounce": "a ball bouncing on {m}", "dig": "a spade digging into earth", "gunshot": "gunshots",
    "explosion": "an explosion", "fire": "a crackling fire", "water": "flowing water", "engine": "an engine",
    "rain": "rain and thunder", "wind": "gusting wind", "dog": "a {m} barking", "birds": "birdsong",
    "farm": "a {m} calling", "wildlife": "a {m} calling", "insects": "a buzzing insect", "car": "a car", "aircraft": "an aircraft overhead",
    "wood-hit": "wood being struck", "metal-hit": "metal clanging", "stone-hit": "stone being struck",
    "creak": "creaking wood", "saw": "sawing", "hammer": "hammering", "machine": "a running machine",
    "whoosh": "a whoosh through the air", "bow": "a bowstring released", "splash": "splashing water",
    "forest": "forest ambience", "waterfall": "a rushing waterfall", "crickets": "crickets at night",
    "foliage": "rustling leaves",
}
MATERIAL_WORDS = {"chop": "wood", "blade": "metal", "rockfall": "stone", "gun": "", "blast": "", "fire": ""}

# Where the backdrop photograph puts the scene.
SETTINGS = {
    "Garden": "in a garden", "Dune": "among sand dunes", "Wood": "by weathered wood", "Aqua": "by clear water",
    "TwoWings": "among wild flowers", "Storm": "under a stormy sky", "GreenMeadow": "in a green meadow",
    "RainDrops": "on a rainy day", "Blinds": "by a window", "FreshFlower": "among flowers", "LadyBird": "in the grass",
    "YellowFlower": "in a field of flowers", "Altai": "in the mountains", "Autumn": "in autumn woods",
    "BytheWater": "by the water", "Canopee": "under a forest canopy", "Cascade": "by a cascade",
    "ColdRipple": "by a cold lake", "ColorfulCups": "in a kitchen", "DarkestHour": "at dusk",
    "EveningGlow": "in the evening glow", "FallenLeaf": "among fallen leaves", "MilkyWay": "under the night sky",
    "OneStandsOut": "in an open field", "Path": "on a forest path", "SafeLanding": "in a meadow",
}
TIMES = {1: "once", 2: "twice", 3: "three times"}


def setting_of(photo_path):
    for key, words in SETTINGS.items():
        if f"/{key}." in photo_path or f"/{key}/" in photo_path:
            return words
    return "outdoors"


def _count(scene):
    n = sum(e.recording is not None for e in scene.events)
    return TIMES.get(n, f"{n} times") if n > 1 else ""


def captions(scene, secondary, photo_path, camera_words):
    """[main caption, sound-first phrasing, with count and setting, with camera]."""
    setting = setting_of(photo_path)
    m = MATERIAL_WORDS.get(scene.material, scene.material)
    sound = SOUND[scene.cls].format(m=m or scene.cls)
    if scene.material in ("wolf", "coyote", "fox"):
        sound = f"a {scene.material} howling"
    extra = f", {secondary.caption.split(',')[0]} in the background" if secondary is not None else ""
    count = _count(scene)
    return [
        f"{scene.caption} {setting}{extra}",
        f"the sound of {sound}{extra}",
        f"{sound}{' ' + count if count else ''}, {setting}",
        f"{scene.caption}, filmed {camera_words}",
    ]
