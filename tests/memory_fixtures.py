"""English translations of Documents I and II, made by hand for the memory tests.

One string per source segment, in order (the seeds import as one bead per segment).
The archival references are kept verbatim, as an edition prints them.
"""

from __future__ import annotations

from tolmach.service.beads import edit_target, load_beads
from tolmach.store import Document, Store

DOCUMENT_I_EN = [
    "TO THE EXECUTIVE COMMITTEE OF THE CENTRAL COMMITTEE OF THE ROMANIAN COMMUNIST PARTY",
    "Dear comrades!",
    "Our ambassador reported that on 21 August of this year he was invited to the CC of the RCP, where the CC "
    "secretary Comrade M. Dalea informed him of your reaction to the joint measures taken by the five socialist "
    "countries to render urgent assistance to the fraternal Czechoslovak people, including assistance by armed forces.",
    "You hastily and profoundly mistakenly qualify the internationalist action of the socialist countries as "
    "“an intervention, a violation of the sovereignty of the CSSR, an interference in its internal affairs, a "
    "flagrant violation of the provisions of the Warsaw Treaty”.",
    "This point of view was confirmed at the joint session of the CC of the RCP and the government of the SRR, at "
    "the extraordinary session of the Grand National Assembly of the SRR, and is widely propagated inside the country "
    "and beyond its borders.",
    "We resolutely reject the distortion of the principled position of the Soviet Union and the other socialist "
    "countries and cannot pass over the unhealthy commotion raised in this connection in Romania.",
    "The approach of the Soviet Union, Bulgaria, Hungary, the GDR and Poland to the assessment of the events in "
    "Czechoslovakia, and our views on this question, have been set out both in public documents and in the "
    "confidential information that was sent to you.",
    "At the same time, considering that in your decisions, in particular at the last session of the Grand National "
    "Assembly, and in official speeches you declare your striving for friendly relations with the Soviet Union and "
    "the other socialist countries, we consider it possible, without repeating what has already been said, to speak "
    "once more on the substance of the question connected with the latest events in the CSSR.",
    "It was obvious that the entry of the allied troops would be used by international reaction to try to "
    "discredit the socialist countries.",
    "But it was even more obvious that refraining from such a step would have entailed the gravest consequences "
    "not only for the CSSR but for all the socialist countries.",
    "It was obvious that international reaction would whip up anti-communist hysteria over this action.",
    "But even more real loomed the threat of the heaviest blows to the entire communist movement should socialist "
    "Czechoslovakia perish.",
    "It was obvious that the forces of imperialism would try to use the sharp turn of events to sow discord in the "
    "socialist commonwealth and in the whole anti-imperialist front.",
    "But there was a plainly visible threat of further attempts to break away link after link from the world "
    "socialist system.",
    "To take the position of an outside observer in such a situation would have meant playing into the hands of "
    "international reaction and sacrificing the fundamental interests not only of the Czechoslovak people but of "
    "all the countries of socialism and of the whole communist and workers' movement.",
    "In these conditions our internationalist duty and the interests of defending the socialist gains of the "
    "Czechoslovak people and of all the countries of socialism commanded us to respond to the appeal of a group of "
    "members of the CC of the CPCz, of the government and of the National Assembly of the CSSR and to take "
    "effective, resolute measures in support of socialist Czechoslovakia.",
    "In taking a very difficult and responsible decision, the Soviet Union, Bulgaria, Hungary, the GDR and Poland "
    "declared clearly and unequivocally that there could be no question of the allied troops interfering in the "
    "internal affairs of the Czechoslovak people.",
    "We expressed with complete definiteness our support for the progressive changes connected with the decisions "
    "of the January plenum of the CC of the CPCz, aimed at consolidating and developing socialism in the CSSR and at "
    "strengthening the leading role of the working class and its vanguard, the Communist Party.",
    "The development of events after the entry of the allied troops into the CSSR fully confirmed the timeliness "
    "and urgency of the extreme measures carried out by the socialist countries.",
    "New facts came to light pointing to a broad conspiracy against socialist Czechoslovakia: the anti-socialist "
    "forces had specially trained armed groups, a ramified network of underground radio stations was at their "
    "disposal, and they had direct links with imperialist intelligence services.",
    "The preparation of a counter-revolutionary coup was being forced, and there is no doubt whatever that had the "
    "measures not been taken, the situation could have become irreparable.",
    "The correlation of world forces would have changed to the detriment of socialism, the situation in Europe "
    "would have sharply worsened, the interests and security of all the socialist states would have been "
    "endangered, and confidence in the correctness of Marxist-Leninist teaching would have been undermined.",
    "At present imperialist circles have unleashed a furious campaign against the socialist states because their "
    "designs on tearing Czechoslovakia away from the socialist commonwealth and restoring capitalism in the CSSR "
    "have been thwarted.",
    "They not only slander the socialist countries and distort their policy but will try to act on them actively, "
    "to stir up nationalist sentiment and to loosen the bonds of fraternal solidarity that hold the socialist "
    "commonwealth together.",
    "Very much now depends on all of us, on every socialist state.",
    "It would be extremely important in our common interests to oppose imperialist reaction with a united front "
    "of the socialist countries based on the principles of Marxism-Leninism and proletarian internationalism.",
    "All the socialist countries, the communist and workers' movement and the national liberation movement need "
    "this.",
    "We are convinced that a different point of view, a deliberate or involuntary distortion of the principled "
    "position of the socialist countries on the defence of socialist Czechoslovakia, would be a blow to the cause "
    "of peace, democracy, national independence and socialism.",
    "As for the Communist Party of the Soviet Union, we have followed and will invariably follow the tested norms "
    "of fraternal relations between socialist states – the principles of equality, respect for national "
    "independence and sovereignty, and non-interference in each other's internal affairs.",
    "We will be true to our internationalist revolutionary duty and will firmly and unswervingly uphold and defend "
    "the security and the socialist gains of the peoples against the encroachments of imperialism.",
    "We would like to express the hope that, so as not to allow Soviet–Romanian relations to worsen or the "
    "friendship of socialist Romania with the other socialist countries to weaken, which also accords with our "
    "intentions, you will draw conclusions that truly answer the present situation, and that the practical steps "
    "you take will accord with them.",
    "The Politburo of the Central Committee of the Communist Party of the Soviet Union",
    "Moscow, 24 August 1968",
    "(DANIC, Fund CC al PCR – Secţia Relaţii Externe, file 3U/1968-1970, vol. II, ff. 25-28)",
]

DOCUMENT_II_EN = [
    "The CC of the CPSU does not consider acceptable the proposal of the CC of the RCP to convene a meeting of "
    "representatives of the communist parties of the European countries on the situation in Czechoslovakia.",
    "We believe that the right way to solve the problems connected with the struggle against the anti-socialist "
    "forces in Czechoslovakia was shown in the Bratislava Declaration and in the Moscow communiqué on the "
    "Soviet–Czechoslovak negotiations.",
    "The CC of the CPSU proceeds from the view that under present conditions genuine internationalism must find "
    "its expression in broad support for the legitimate leading bodies of the Czechoslovak party and state in "
    "organising resistance to the anti-socialist, counter-revolutionary forces, in the struggle to strengthen the "
    "positions of socialism and to normalise the situation in the country.",
    "As for the proposal of a bilateral meeting of representatives of the CPSU and the RCP, it is evident that "
    "holding it requires an atmosphere different from the one created at present by the unfriendly actions of the "
    "RCP leadership towards the Soviet Union and the other socialist countries.",
    "3 September 1968",
    "(DANIC, Fund CC al PCR – Secţia Relaţii Externe, file 3U/1968-1970, vol. II, f. 61)",
]


def document_id(store: Store, name: str) -> int:
    from sqlalchemy import select

    with store.read() as s:
        return s.scalar(select(Document.id).where(Document.name == name))


def translate_by_hand(store: Store, name: str, english: list[str], only: range | None = None) -> list[int]:
    """Type the English of a seeded document into its beads (as a translator would);
    returns the bead ids in order."""
    beads = load_beads(store, document_id(store, name))
    assert len(beads) == len(english), f"{name}: {len(beads)} beads, {len(english)} translations"
    for i, (bead, text) in enumerate(zip(beads, english)):
        if only is None or i in only:
            edit_target(store, bead.id, text)
    return [b.id for b in beads]
