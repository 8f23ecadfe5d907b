"""The words of the offline reply rules, per market language (en, es, pt, de, fr, it, nl, pl, tr, id: the languages
of the creators we contact). Patterns match accent-folded, lower-cased text (`text.fold`: "ü" → "u", "ç" → "c";
"ł" and "ı" stay). Every language is tried on every reply: short WhatsApp texts are too short to detect their
language reliably, and creators mix languages.

Kept as data, one tuple per intent and language, so a missed phrase is a one-line fix with an eval case beside it.
"""

from __future__ import annotations

import re

OPT_OUT: dict[str, tuple[str, ...]] = {
    "en": (r"\b(delete|remove|erase) (it|my (data|email|e-?mail address|number|details|contact( info)?))\b",
           r"\b(take|get) me off\b", r"\bstop (pls|please|plz)\b", r"^\W*stop\W*$", r"\bquit (texting|messaging|"
           r"emailing|contacting) me\b", r"\bleave me alone\b", r"\bdon'?t (text|message|email|contact) me\b"),
    "es": (r"\bno me (escriban|escribas|contacten|contactes|mandes|manden|envien)( mas)?\b",
           r"\b(dejen|deja) de (escribirme|contactarme|mandarme)\b", r"\b(borren|borra|eliminen) mis datos\b",
           r"\bsaquen?me de (la|su|vuestra) lista\b"),
    "pt": (r"\b(me )?(tira|tirem|remova|removam) (da|de) (lista|sua lista|lista de voces)\b",
           r"\bnao quero (receber )?mais (mensagens|e-?mails|contato)\b", r"\bpar[ae] de me (mandar|enviar|escrever)\b",
           r"\bnao me (mandem|enviem|escrevam|contatem)( mais)?\b"),
    "de": (r"\b(bitte )?(schreiben sie|schreibt|schreib) mir nicht mehr\b",
           r"\bnicht mehr (kontaktieren|anschreiben)\b",
           r"\b(entfernen sie|entfernt|losche[nt]?|loschen sie) (mich|meine (adresse|daten|nummer|e-?mail))\b",
           r"\bnehmen sie mich aus\b", r"\baus (ihrem|eurem) verteiler\b"),
    "fr": (r"\bne (plus )?me (contacter|recontacter|ecrire)( plus)?\b", r"\bmerci de ne plus\b",
           r"\b(arretez|arrete) de m'?ecrire\b", r"\bdesinscri(vez|s)-?moi\b", r"\bretirez-moi\b",
           r"\bsupprimez mes (donnees|coordonnees)\b"),
    "it": (r"\bnon (scrivetemi|contattatemi|mi scrivete|mi contattate)( piu)?\b", r"\btoglietemi dalla\b",
           r"\bcancellate i miei dati\b", r"\bsmettete di scrivermi\b"),
    "nl": (r"\bhaal (mij|me) (alsjeblieft |aub )?(uit|van)\b", r"\bgeen (berichten|mails|e-?mails) meer\b",
           r"\bstop met (mailen|berichten|appen)\b", r"\bniet meer (mailen|contacteren|benaderen)\b",
           r"\bschrijf (mij|me) uit\b"),
    "pl": (r"\bprosze (wiecej )?(do mnie )?nie pisac\b", r"\bnie (piszcie|pisz) (do mnie )?wiecej\b",
           r"\busun(ac|cie)? moj (adres|numer|e-?mail)\b", r"\bwypisz(cie)? mnie\b"),
    "tr": (r"\b(bana )?(bir daha|artık|artik) (yazmayın|yazmayin|mesaj atmayın|mesaj atmayin)\b",
           r"\bbeni listeden (cıkarın|cikarin|cıkar|cikar)\b", r"\bbeni rahatsız etmeyin\b"),
    "id": (r"\bjangan (hubungi|kontak|chat|kirim pesan ke) (saya|aku|gue)( lagi)?\b",
           r"\bstop kirim (pesan|chat)\b", r"\bhapus (nomor|kontak|email) (saya|aku)\b"),
}

OUT_OF_OFFICE: dict[str, tuple[str, ...]] = {
    "es": (r"\bfuera de la oficina\b", r"\b(estoy|me encuentro) de vacaciones\b", r"\bausente hasta\b"),
    "pt": (r"\bfora do escritorio\b", r"\b(estou )?de ferias\b", r"\bsem acesso ao e-?mail\b"),
    "de": (r"\bnicht im buro\b", r"\babwesen(d|heit)\b", r"\bim urlaub\b", r"\bkeinen zugriff auf\b"),
    "fr": (r"\babsente? (du bureau|jusqu)\b", r"\bje suis absente?\b", r"\ben conges\b"),
    "it": (r"\bfuori (ufficio|sede)\b", r"\bin ferie\b", r"\bsono assente\b"),
    "nl": (r"\bmet vakantie\b", r"\bafwezig tot\b", r"\bniet op kantoor\b", r"\bbuiten kantoor\b"),
    "pl": (r"\bna urlopie\b", r"\bpoza biurem\b", r"\bnieobecn[ya]\b"),
    "tr": (r"\bizindeyim\b", r"\bofis dısındayım\b", r"\bofis disindayim\b", r"\bofis dısında\b"),
    "id": (r"\bsedang cuti\b", r"\bdi luar kantor\b", r"\bsedang liburan\b"),
}

DECLINED: dict[str, tuple[str, ...]] = {
    "en": (r"\bsit (this|it) one out\b", r"^\W*pass\W*$", r"\bi'?ll pass\b", r"\bno thx\b", r"\bthank u but no\b",
           r"\bbut no\b\W*$", r"^\W*(haha|lol|lmao)+\W+no\b", r"\bnot (really )?my vibe\b",
           r"\bcan'?t take (this|it) on\b",
           r"\bcalendar is (full|packed)\b", r"\bschedule is (full|packed)\b", r"\bis (that|this) a joke\b",
           r"\bhow tempting\b", r"\bso generous\b", r"\bno\W*$", r"\bgonna have to say no\b"),
    "es": (r"\bno me interesa\b", r"\bno estoy (aceptando|interesad[oa])\b", r"\bno,? gracias\b", r"\bpaso\b",
           r"\bni de broma\b", r"\bno encaja\b", r"\bno trabajo con\b", r"\bno puedo\b"),
    "pt": (r"\bvou (recusar|passar)\b", r"\bnao tenho interesse\b", r"\bnao me interessa\b", r"\bnao rola\b",
           r"\bnao,? obrigad[oa]\b"),
    "de": (r"\bkein (interesse|bedarf)\b", r"\bnein,? danke\b", r"\bnee,? danke\b", r"\bpasst (das )?(leider )?"
           r"(gerade )?nicht\b", r"\bleider nicht\b", r"\babsagen\b", r"\bnicht interessiert\b"),
    "fr": (r"\bnon merci\b", r"\bpas (pour moi|interessee?)\b", r"\bdecliner\b", r"\bje ne suis pas interessee?\b",
           r"\bje ne fais plus\b"),
    "it": (r"\bnon accetto (nuove|altre)\b", r"\bno grazie\b", r"\bpasso\b", r"\bnon mi interessa\b",
           r"\bnon sono interessat[oa]\b"),
    "nl": (r"\bgeen interesse\b", r"\bnee,? (bedankt|dank je|sorry)\b", r"\bpast niet\b",
           r"\bdoe geen samenwerkingen\b"),
    "pl": (r"\bnie,? dziekuje\b", r"\bnie jestem zainteresowan[ya]\b", r"\bniestety nie\b"),
    "tr": (r"\bilgilenmiyorum\b", r"\bhayır,? tesekkurler\b", r"\bhayir,? tesekkurler\b", r"\bmusait degilim\b",
           r"\buygun degilim\b"),
    "id": (r"\bgak dulu\b", r"\bnggak dulu\b", r"\btidak tertarik\b", r"\bgak ambil\b", r"\bgak bisa\b",
           r"\bmaaf,? (kak,? )?(aku|saya) (lagi )?(tidak|gak|nggak)\b"),
}

INTERESTED: dict[str, tuple[str, ...]] = {
    "en": (r"^\W*(omg )?(yes+|yas+|yep|yup|yeah|sure)\b", r"\bi'?m down\b", r"\bim down\b", r"\bsure thing\b",
           r"\bwould love to\b", r"\bhappy to\b", r"\bwhere do i sign\b"),
    "es": (r"^\W*(si|sii+|va|vale|dale|claro)\b", r"\bme apunto\b", r"\bme parece (genial|bien|perfecto)\b",
           r"\bcuando empezamos\b", r"\bcuenta conmigo\b", r"\bme encantaria\b", r"\bclaro que si\b"),
    "pt": (r"\btopo\b", r"\bbora\b", r"\bfechado\b", r"\btenho interesse\b", r"\badorei\b", r"\bcom certeza\b"),
    "de": (r"\bbin (gerne |gern )?dabei\b", r"\bklingt (gut|super|toll)\b", r"\bgerne\b", r"\bich bin dabei\b"),
    "fr": (r"\bavec plaisir\b", r"\bpartante?\b", r"\bcarrement\b", r"\bgrave chaud\b", r"\bca m'interesse\b",
           r"\bvolontiers\b"),
    "it": (r"\baccetto\b", r"\bci sto\b", r"\bmi piacerebbe\b", r"\bvolentieri\b", r"^\W*(si|certo)\b",
           r"\bmi piace\b"),
    "nl": (r"\bik doe mee\b", r"\bik ben erbij\b", r"\bleuk\b", r"\bgraag\b", r"\bafgesproken\b"),
    "pl": (r"\bchetnie\b", r"\bwchodze\b", r"^\W*(jasne|super|tak)\b"),
    "tr": (r"\bcok isterim\b", r"\bvarım\b", r"\bvarim\b", r"\bmemnuniyetle\b", r"^\W*(olur|tabii|tamam)\b"),
    "id": (r"\bmau (banget|kak)\b", r"^\W*(boleh|siap|oke|ok)\b", r"\bgas\b", r"\bmau!\W"),
}

QUESTION: dict[str, tuple[str, ...]] = {
    "en": (r"^\W*who is this\b", r"\bu paying\b"),
}

# Emoji-only replies: a thumbs-up or fire is a yes; a laugh or a no-entry sign is not.
EMOJI_YES = re.compile("[\U0001F44D\U0001F525\U0001F4AF\u2705\U0001F64C\U0001F60D\U0001F91D\u2764\U0001F389]")
EMOJI_NO = re.compile("[\U0001F44E\u274C\U0001F6AB\u26D4]")

# Words after an amount that say it is the brand's offer, judged ("is too low", "me parece poco").
OFFER_JUDGED_AFTER = (
    r"(is|seems|feels) (a bit |way |too |really )*(low|little)", r"(me )?(parece|parecen) poco", r"c'est (trop peu|"
    r"un peu juste|peu)", r"mi sembrano? poc[oh]i?", r"(is|zijn) te weinig", r"to za malo", r"biraz dusuk",
    r"dusuk", r"leider nicht", r"non riesco", r"(e|sind) zu wenig", r"e pouco", r"terlalu (kecil|rendah)",
    r"por todo eso", r"for (three|two|\d) \w+\W*\?", r"(is )?(that |this |it )?(your|ur|the) (budget|offer|max)")

# Words that mark the creator's own price ("my rate is", "lo hago por", "mein Honorar").
OWN_PRICE_BEFORE = (
    r"my (usual |standard |normal )?(rate|fee|price|minimum|budget)", r"i (usually |normally |typically )?"
    r"(charge|ask|need|want|'?d need|would need)", r"i'?d do it for", r"i could do it for", r"i can do it for",
    r"would be", r"at least", r"rate card", r"rates?:", r"how about", r"can u do", r"could you do",
    r"(mi|tu) (tarifa|precio)", r"lo (haria|hago) por", r"por", r"(meu|o meu) (valor|preco|cache)", r"faco por",
    r"(mein|unser) (honorar|preis|tagessatz)", r"(mon|notre) tarif", r"plutot sur", r"(il mio|mio) (compenso|"
    r"prezzo)", r"chiedo", r"(minimo|minimum)", r"reken ik", r"voor", r"(moja )?stawka", r"zrobie to za",
    r"ucretim", r"olursa", r"rate (card )?(aku|saya)", r"aja kak", r"for you", r"for")
OWN_PRICE_AFTER = (r"(would be|is|'?s) (my|mein) (minimum|minimo)", r"wäre mein minimum", r"ware mein minimum",
                   r"(and|e|y|und|et) (lo hacemos|si fa|i'?m in)", r"lo hago", r"olursa yaparım",
                   r"olursa yaparim", r"(for|per) (the|a|one|each)?\s?(bundle|reel|story|tiktok|video|post)")

ACCEPTED_AFTER = (
    r"(works|is fine|is ok|is okay|sounds (good|great|fair)|is perfect|is great|is good|deal|it is)",
    r"(esta|e) (otimo|bom|perfeito)", r"(sind|ist) ok", r"passt", r"is (akkoord|goed|prima)", r"pasuje",
    r"uygun", r"deal", r"(va|sta) bene", r"me (parece|vale) bien", r"est(a|á) bien", r"mache ich (das )?gerne")
ACCEPTED_BEFORE = (
    r"(ok|okay|deal|agreed|accept|happy with|fine with|sounds fair|fair|perfect)", r"acepto( los| las)?",
    r"ca marche pour", r"avec plaisir pour", r"va bene", r"me parece bien", r"(ok|oke|tamam|prima),?",
    r"accetto( i)?", r"fechado,?", r"passt,?", r"afgesproken,?", r"deal at")


def compiled(table: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    """One pattern over every language's phrases."""
    return re.compile("|".join(f"(?:{p})" for phrases in table.values() for p in phrases), re.I | re.M)


def alternatives(phrases: tuple[str, ...]) -> str:
    return "|".join(f"(?:{p})" for p in phrases)
