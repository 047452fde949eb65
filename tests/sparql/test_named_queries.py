"""Each named query answers what the article says (expectations written from the article, in
our own words and IRIs), and both engines give the same answers."""

from __future__ import annotations

import pytest

from ldnkg.graph.sparql import named_queries, run
from tests.sparql.helpers import rows_of

E = "https://w3id.org/ldnkg/entity/"
ONT = "https://w3id.org/ldnkg/ontology#"


def local(term) -> str:
    return str(term).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def column(result, name: str) -> list:
    i = result.variables.index(name)
    return [row[i] for row in result.rows]


def test_every_query_has_a_header():
    queries = named_queries()
    assert len(queries) >= 12
    for q in queries:
        assert q.description.endswith(("?", ".")), q.name
        assert q.path.name == f"{q.name}.rq"
        for p in q.params:
            assert f"${p.name}" in q.text and p.default, (q.name, p.name)


@pytest.mark.parametrize("name", [q.name for q in named_queries()])
def test_both_engines_agree(ds, name):
    ox, rl = run(ds, name, engine="oxigraph"), run(ds, name, engine="rdflib")
    assert ox.kind == rl.kind
    if ox.kind == "graph":
        assert set(ox.graph) == set(rl.graph) and len(ox.graph)
    else:
        assert ox.variables == rl.variables
        assert rows_of(ox) == rows_of(rl) and ox.rows


def test_conditions_per_role(ds):
    r = run(ds, "conditions-per-role")
    pairs = {(local(a), local(b)) for a, b in zip(column(r, "role"), column(r, "condition"),
                                                  strict=True)}
    # role 1 reaches autoimmunity, cancer and the author's immune derangement syndrome
    assert {("ImmuneModulation", c) for c in
            ("AutoimmuneDisease", "Cancer", "ImmuneDerangementSyndrome")} <= pairs
    # role 2: fibromyalgia, chronic fatigue, migraine, chronic pain, insomnia, tinnitus
    assert {("AntiNeuroinflammation", c) for c in
            ("Fibromyalgia", "ChronicFatigue", "Migraine", "ChronicPain", "Insomnia",
             "Tinnitus")} <= pairs
    # role 3: dementia, Parkinson's, MS (the case reports) and neurodegeneration
    assert {("Neuroprotection", c) for c in
            ("Dementia", "ParkinsonsDisease", "MultipleSclerosis")} <= pairs
    assert {local(x) for x in column(r, "role")} == {"ImmuneModulation", "AntiNeuroinflammation",
                                                     "Neuroprotection"}


def test_mechanisms_for_fibromyalgia_and_migraine(ds):
    for condition in ("Fibromyalgia", "ldn:Migraine"):
        r = run(ds, "mechanisms-for-condition", params={"condition": condition})
        mechanisms = {local(m) for m in column(r, "mechanism")}
        # the article: TLR4 blockade stops microglia over-activating, which calms neuroinflammation
        assert {"TLR4Blockade", "MicroglialActivationInhibition"} <= mechanisms
        # the endorphin rebound is a separate pathway and does not lead to these conditions
        assert "EndorphinEnkephalinUpregulation" not in mechanisms


def test_mechanisms_for_autoimmunity_are_not_tlr4(ds):
    r = run(ds, "mechanisms-for-condition", params={"condition": "ldn:Dementia"})
    assert "TLR4Blockade" not in {local(m) for m in column(r, "mechanism")}


def test_causal_chain_to_fibromyalgia(ds):
    r = run(ds, "causal-chain")
    links = {(local(a), local(p), local(b)) for a, p, b in
             zip(column(r, "from"), column(r, "link"), column(r, "to"), strict=True)}
    # LDN -> TLR4 blockade -> stops microglial activation -> (less) neuroinflammation -> fibromyalgia
    assert ("LDN", "actsThrough", "TLR4Blockade") in links
    assert ("TLR4Blockade", "causes", "MicroglialActivationInhibition") in links
    assert ("MicroglialActivationInhibition", "decreases", "MicroglialActivation") in links
    assert ("MicroglialActivation", "causes", "Neuroinflammation") in links
    assert ("Neuroinflammation", "contributesTo", "Fibromyalgia") in links
    # every link carries its evidence
    assert all(column(r, "evidence")) and all(column(r, "asserter"))
    # the neuroinflammation -> fibromyalgia link rests on the author's practice
    assert {local(a) for a, b in zip(column(r, "asserter"), column(r, "to"), strict=True)
            if local(b) == "Fibromyalgia"} == {"ClinicalExperience"}


def test_conditions_via_tlr4(ds):
    r = run(ds, "conditions-via-tlr4")
    reached = {local(c) for c in column(r, "condition")}
    assert {"Fibromyalgia", "Migraine", "ChronicPain", "ChronicFatigue"} <= reached
    # symptoms of activated microglia: pain, fatigue, brain fog, depression
    assert {"Pain", "Fatigue", "BrainFog", "Depression"} <= reached
    # TLR4 blockade is not the article's route to autoimmune disease or cancer
    assert not {"AutoimmuneDisease", "Cancer", "Lupus"} & reached


def test_evidence_gaps(ds):
    r = run(ds, "evidence-gaps")
    gaps = {(local(s), local(p), local(o)) for s, p, o in
            zip(column(r, "subject"), column(r, "predicate"), column(r, "object"), strict=True)}
    # migraine relief and the neuroprotective role are reported from practice / belief only
    assert ("LDN", "ameliorates", "Migraine") in gaps
    assert ("LDN", "hasRole", "Neuroprotection") in gaps
    # fibromyalgia has clinical trials, chronic pain has published literature: not gaps
    assert ("LDN", "ameliorates", "Fibromyalgia") not in gaps
    assert ("LDN", "ameliorates", "ChronicPain") not in gaps
    assert {local(a) for a in column(r, "asserter")} <= {"ClinicalExperience", "AuthorHypothesis"}
    # biography (affiliations) is not a medical evidence gap
    assert not any(s == "YoonHangKim" for s, _, _ in gaps)


def test_studies(ds):
    r = run(ds, "studies")
    by_year = {str(y): d for y, d in zip(column(r, "year"), column(r, "design"), strict=True) if y}
    assert {"1986", "1999", "2005"} <= set(by_year)
    assert str(by_year["1999"]) == "animal study"
    designs = {str(d) for d in column(r, "design")}
    assert {"clinical trial", "epidemiological comparison", "case observation"} <= designs
    assert all(str(f) for f in column(r, "finding"))


def test_co_therapies_for_immune_derangement(ds):
    r = run(ds, "co-therapies")
    purpose = {local(t): local(p) for t, p in zip(column(r, "therapy"), column(r, "purpose"),
                                                  strict=True)}
    assert purpose == {"Ketotifen": "MastCellStabilisation", "CromolynSodium": "MastCellStabilisation",
                       "KetogenicMetabolicSupport": "MetabolicSupport", "MethyleneBlue": "MitochondrialFunction"}
    assert all(column(r, "paragraph"))  # every row says where


def test_co_therapies_are_inherited_by_subtypes(ds):
    # issue 12: co-therapies --param condition=MCAS gave 0 rows; MCAS is a kind of immune derangement
    for condition in ("ldn:MCAS", "ldn:LongCOVID"):
        r = run(ds, "co-therapies", params={"condition": condition})
        assert {local(t) for t in column(r, "therapy")} >= {"CromolynSodium", "Ketotifen", "MethyleneBlue"}
        assert {local(c) for c in column(r, "context")} == {"ImmuneDerangementSyndrome"}


def test_co_therapies_for_pancreatic_cancer(ds):
    r = run(ds, "co-therapies", params={"condition": "ldn:PancreaticCancer"})
    by_context = {(local(t), local(c)) for t, c in zip(column(r, "therapy"), column(r, "context"), strict=True)}
    assert ("AlphaLipoicAcid", "PancreaticCancer") in by_context  # Berkson's work
    assert ("TargetedSupplementation", "Cancer") in by_context  # what is said of cancer in general


def test_response_rates(ds):
    r = run(ds, "response-rates")
    rates = {local(p): (float(lo), float(hi)) for p, lo, hi in
             zip(column(r, "population"), column(r, "minPercent"), column(r, "maxPercent"),
                 strict=True)}
    assert rates["ChronicPain"] == (57.0, 65.0)
    # "about a third may not respond to any given therapy" is not an LDN response rate (issue 10)
    assert "PatientsInGeneral" not in rates
    assert {str(x) for x in column(r, "level")} == {"published clinical observation"} and all(column(r, "paragraph"))


def test_response_categories_say_where(ds):
    r = run(ds, "response-categories")
    assert {local(c) for c in column(r, "category")} == {"LdnSufficient", "NecessaryNotSufficient", "NonResponder"}
    assert all(column(r, "section")) and all(column(r, "level"))


def test_role_cycle(ds):
    r = run(ds, "role-cycle")
    steps = {local(a): local(b) for a, b in zip(column(r, "role"), column(r, "next"), strict=True)}
    assert steps == {"ImmuneModulation": "AntiNeuroinflammation",
                     "AntiNeuroinflammation": "Neuroprotection",
                     "Neuroprotection": "ImmuneModulation"}
    # in cycle order: each step starts where the previous one ended
    order = [(local(a), local(b)) for a, b in zip(column(r, "role"), column(r, "next"), strict=True)]
    assert all(order[i][1] == order[i + 1][0] for i in range(len(order) - 1))
    assert {str(x) for x in column(r, "standing")} == {"hypothesis"} and all(column(r, "paragraph"))


def test_negative_statements(ds):
    r = run(ds, "negative-statements")
    denied = {(str(s), str(p), str(o)) for s, p, o in
              zip(column(r, "subjectLabel"), column(r, "predicateLabel"), column(r, "objectLabel"),
                  strict=True)}
    objects = {o for _, _, o in denied}
    assert "cancer" in objects  # not a cure for cancer
    assert any("immune system" in o for o in objects)  # does not suppress immunity like steroids
    assert any("autoimmune" in o for o in objects)  # immune derangement is not classic autoimmunity


def test_author_affiliations(ds):
    r = run(ds, "author-affiliations")
    orgs = {str(o) for o in column(r, "organisationLabel")}
    assert len(orgs) == 5
    for name in ("Miami Cancer Institute", "University of Kansas", "Memorial Hospital",
                 "Hill Country Integrative Medicine"):
        assert any(name.lower() in o.lower() for o in orgs), name
    assert any("Optum" in o for o in orgs)
    places = {str(p) for p in column(r, "placeLabel") if p is not None}
    assert any("Fredericksburg" in p for p in places)


def test_claims_with_locators(ds):
    from rdflib.namespace import RDF

    r = run(ds, "claims-with-locators")
    claims = column(r, "claim")
    assert len(claims) == len(set(claims)) == len(set(ds.subjects(RDF.type, ds.namespace_manager
                                                                       .expand_curie("ldno:Claim"))))
    for start, end in zip(column(r, "start"), column(r, "end"), strict=True):
        assert 0 <= int(start) < int(end) <= 10462
    assert {str(s) for s in column(r, "section")} >= {"Introduction", "Role 1: Immune Modulation"}


def test_role_mechanisms(ds):
    r = run(ds, "role-mechanisms")
    pairs = {(local(a), local(b)) for a, b in zip(column(r, "role"), column(r, "mechanism"),
                                                  strict=True)}
    assert ("AntiNeuroinflammation", "TLR4Blockade") in pairs
    assert ("ImmuneModulation", "EndorphinEnkephalinUpregulation") in pairs
    assert ("Neuroprotection", "OpioidReceptorSensitisation") in pairs


def test_outcomes(ds):
    r = run(ds, "outcomes")
    pairs = {(local(o), local(c) if c else None) for o, c in
             zip(column(r, "outcome"), column(r, "context"), strict=True)}
    assert ("ImprovedSurvival", "PancreaticCancer") in pairs  # credited to LDN with alpha-lipoic acid
    assert ("Remission", "MultipleSclerosis") in pairs
    assert ("ReducedBaselinePain", "Fibromyalgia") in pairs


def test_claims_by_basis_adds_up(ds):
    r = run(ds, "claims-by-basis")
    total = sum(int(n) for n in column(r, "claims"))
    assert total == len(run(ds, "claims-with-locators").rows)
    assert {local(a) for a in column(r, "asserter")} == {
        "PublishedResearch", "ScientificBackground", "ClinicalExperience", "AuthorHypothesis"}


def test_triggers_of_microglial_activation(ds):
    r = run(ds, "triggers")
    assert {local(t) for t in column(r, "trigger")} == {"Injury", "Infection", "ChronicStress",
                                                          "SystemicInflammation"}


def test_response_categories(ds):
    r = run(ds, "response-categories")
    assert {local(c) for c in column(r, "category")} == {"LdnSufficient", "NecessaryNotSufficient",
                                                          "NonResponder"}


def test_claims_about_tlr4(ds):
    r = run(ds, "claims-about")
    triples = {(local(s), local(p), local(o)) for s, p, o in
               zip(column(r, "subject"), column(r, "predicate"), column(r, "object"), strict=True)}
    assert ("LDN", "actsThrough", "TLR4Blockade") in triples
    assert ("TLR4Blockade", "distinctFrom", "EndorphinEnkephalinUpregulation") in triples
    assert all(E + "TLR4Blockade" in (str(s), str(o)) for s, o in
               zip(column(r, "subject"), column(r, "object"), strict=True))


def test_neighbourhood_is_a_graph(ds):
    from rdflib import URIRef

    r = run(ds, "neighbourhood")
    assert r.kind == "graph"
    assert (URIRef(E + "LDN"), URIRef(ONT + "actsThrough"), URIRef(E + "TLR4Blockade")) in r.graph


CLAIM_QUERIES = ["causal-chain", "claims-about", "claims-with-locators", "co-therapies", "evidence-gaps",
                 "negative-statements", "outcomes", "response-categories", "response-rates", "role-cycle",
                 "role-mechanisms", "triggers", "hypotheses", "support-for-condition", "author-history",
                 "said-about"]


@pytest.mark.parametrize("name", CLAIM_QUERIES)
def test_every_query_showing_claims_gives_evidence_level_and_locator(ds, name):
    r = run(ds, name)
    assert r.rows, name
    assert {"level", "paragraph"} <= set(r.variables), name
    levels = {str(x) for x in column(r, "level")}
    assert levels <= {"published clinical trial", "published clinical observation",
                      "published animal or laboratory study", "published research, design not stated",
                      "the author's clinical observation (unpublished)", "background science, no citation",
                      "the author's hypothesis"}, levels


def test_hypotheses_lists_only_hypotheses_with_locators(ds):
    r = run(ds, "hypotheses")
    claims = {local(c) for c in column(r, "claim")}
    assert {"p30-cycle-1", "p13-ids-MCAS"} <= claims
    assert all(column(r, "section")) and all(column(r, "paragraph"))
    firm = run(ds, "claims-about", params={"entity": "ldn:Fibromyalgia"})
    asserted = {local(c) for c, s in zip(column(firm, "claim"), column(firm, "standing"), strict=True)
                if str(s) == "asserted"}
    assert asserted and not claims & asserted


def test_support_for_condition_strongest_first(ds):
    r = run(ds, "support-for-condition", params={"condition": "ldn:Fibromyalgia"})
    ranks = [int(x) for x in column(r, "rank")]
    assert ranks == sorted(ranks) and ranks[0] == 1
    assert "p20-fibro-trials" in {local(c) for c in column(r, "claim")}
    inherited = run(ds, "support-for-condition", params={"condition": "ldn:MCAS"})
    assert "p14-combo-CromolynSodium" in {local(c) for c in column(inherited, "claim")}


def test_author_history_has_his_dates(ds):
    r = run(ds, "author-history")
    values = {str(v) for v in column(r, "value")}
    assert "2015" in values  # first used LDN
    assert any(v.isdigit() and int(v) >= 10 for v in values if v != "2015")  # years of observation
    assert all(column(r, "paragraph"))


def test_said_about_a_person_includes_their_study(ds):
    r = run(ds, "said-about")  # default: Burt Berkson
    claims = {local(c) for c in column(r, "claim")}
    assert "p11-berkson-conducted" in claims and "p11-berkson-survival" in claims
    ranks_ok = column(r, "level")
    assert ranks_ok and all(column(r, "section"))


def _http(url: str) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


def test_server_parameters_take_any_name(server):
    import urllib.parse

    url = server.base + "/explorer?" + urllib.parse.urlencode({"query": "co-therapies", "param.condition": "mcas"})
    status, body = _http(url)
    assert status == 200 and "CromolynSodium" in body  # inherited from immune derangement
    url = server.base + "/explorer?" + urllib.parse.urlencode({"query": "co-therapies",
                                                               "param.condition": "xylophone"})
    status, body = _http(url)
    assert status == 400 and "no entity is called" in body


def test_claims_by_level_counts_every_claim_once(ds):
    r = run(ds, "claims-by-level")
    assert sum(int(n) for n in column(r, "claims")) == len(run(ds, "claims-with-locators").rows)
    ranks = [int(x) for x in column(r, "rank")]
    assert ranks == sorted(ranks) and ranks[0] == 1 and ranks[-1] == 7


def test_publications_give_the_level_and_locator_of_claims(ds):
    r = run(ds, "publications")
    claims = [i for i, s in enumerate(column(r, "statement")) if "/claim/" in str(s)]
    assert claims and all(r.rows[i][r.variables.index("paragraph")] is not None for i in claims)
