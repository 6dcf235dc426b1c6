"""The registry side of the raw warehouse fixture: kommuner, cooperations, keys, ledger, areas."""

from datetime import date

# fmt: off
# kommunkod -> (name, län, population 2016); population grows 0.5 % a year.
KOMMUNER = {
    "0604": ("Aneby", "Jönköpings län", 6800), "0682": ("Nässjö", "Jönköpings län", 31000),
    "0684": ("Sävsjö", "Jönköpings län", 11500), "0685": ("Vetlanda", "Jönköpings län", 27500),
    "0686": ("Eksjö", "Jönköpings län", 17600), "0687": ("Tranås", "Jönköpings län", 19000),
    "1904": ("Skinnskatteberg", "Västmanlands län", 4400), "1907": ("Surahammar", "Västmanlands län", 10000),
    "1962": ("Norberg", "Västmanlands län", 5700), "1982": ("Fagersta", "Västmanlands län", 13400),
}
HOGLANDET = ["0604", "0682", "0684", "0685", "0686"]
NVU = ["1904", "1962", "1982"]

# agreement_id, name, form, area, purpose, host, start, end, predecessor, successor, kolada_group
AGREEMENTS = [
    ("hoglandets_overformyndarnamnd", "Höglandets överförmyndarnämnd", "gemensam_namnd", "overformyndare",
     ["kvalitet", "kostnad"], "0685", date(2019, 1, 1), None, None, None, "G168177"),
    ("hoglandets_raddningstjanstforbund", "Höglandets räddningstjänstförbund", "kommunalforbund",
     "raddningstjanst", ["kostnad", "personal"], None, date(2018, 1, 1), None, None, None, None),
    ("norra_vastmanlands_utbildningsforbund", "Norra Västmanlands utbildningsförbund", "kommunalforbund",
     "gymnasieskola", ["kvalitet", "kostnad"], None, date(1997, 1, 1), date(2021, 6, 30), None,
     "fagersta_norberg_gymnasium", "G148079"),
    ("fagersta_norberg_gymnasium", "Gymnasiesamverkan Fagersta–Norberg", "avtalssamverkan", "gymnasieskola",
     ["kvalitet"], "1982", date(2021, 7, 1), None, "norra_vastmanlands_utbildningsforbund", None, None),
]
SEATS = (None, "0685", "1982", None)  # a kommunalförbund's säte, per agreement above
MEMBERS = (
    [("hoglandets_overformyndarnamnd", k, date(2019, 1, 1), None) for k in HOGLANDET]
    + [("hoglandets_raddningstjanstforbund", k, date(2018, 1, 1), None) for k in ("0682", "0685")]
    + [("norra_vastmanlands_utbildningsforbund", k, date(1997, 1, 1), date(2021, 6, 30)) for k in NVU]
    + [("fagersta_norberg_gymnasium", k, date(2021, 7, 1), None) for k in ("1982", "1962")]
)
# Cooperations whose ledger holds example figures (the registry marks them `illustrative`).
ILLUSTRATIVE = {"hoglandets_raddningstjanstforbund"}
OVF_FIXED = {"0604": 8.0, "0682": 28.0, "0684": 12.0, "0685": 30.0, "0686": 22.0}
COST_KEYS = (
    [("hoglandets_overformyndarnamnd", 2019, "fixed", k, s) for k, s in OVF_FIXED.items()]
    + [("hoglandets_overformyndarnamnd", 2022, "population", k, None) for k in HOGLANDET]
    + [("hoglandets_raddningstjanstforbund", 2018, "population", k, None) for k in ("0682", "0685")]
    + [("norra_vastmanlands_utbildningsforbund", 2016, "fixed", k, s)
       for k, s in zip(NVU, (20.0, 25.0, 55.0), strict=True)]
    + [("fagersta_norberg_gymnasium", 2021, "fixed", k, s) for k, s in (("1982", 70.0), ("1962", 30.0))]
)
_OVF, _RTJ = "hoglandets_overformyndarnamnd", "hoglandets_raddningstjanstforbund"
_NVU, _FN = "norra_vastmanlands_utbildningsforbund", "fagersta_norberg_gymnasium"
# agreement_id, year, kommun, paid_tkr, host_cost_tkr (on the host's row)
LEDGER = [
    (_OVF, 2021, "0604", 1600.0, None), (_OVF, 2021, "0682", 5800.0, None),
    (_OVF, 2021, "0684", 2400.0, None), (_OVF, 2021, "0685", 6000.0, 20000.0),
    (_OVF, 2021, "0686", 4400.0, None),
    (_OVF, 2022, "0604", 1700.0, None), (_OVF, 2022, "0682", 7500.0, None),
    (_OVF, 2022, "0684", 2800.0, None), (_OVF, 2022, "0685", 6600.0, 21000.0),
    (_OVF, 2022, "0686", 4000.0, None),
    (_RTJ, 2022, "0682", 36000.0, None), (_RTJ, 2022, "0685", 31000.0, None),
    (_NVU, 2020, "1904", 14000.0, None), (_NVU, 2020, "1962", 17500.0, None),
    (_NVU, 2020, "1982", 38500.0, None),
    (_FN, 2022, "1962", 14500.0, None), (_FN, 2022, "1982", None, 50000.0),
]
TARGETS = [
    (_OVF, 1, "U37009", "<=", 16000.0, 2020, None, "total", None, None),
    (_RTJ, 1, "U07442", "<=", 12.0, 2019, 2025, "0682", "Längre körväg efter stationsflytten.",
     "Ny station i Sävsjö 2026."),
]
# area -> [(kpi, title, dimension, better, unit, cost_basis, reported_jointly, method_break)]
AREA_KPIS = {
    "overformyndare": [
        ("U37009", "Kostnad för överförmyndare/-nämnd, kr/ställföreträdarskap", "kostnad", "lower",
         "kr/ställföreträdarskap", "kostnad", False, None),
        ("U37002", "Invånare som har ställföreträdarskap, antal/1000 invånare", "personal", "none",
         "antal/1000 inv", None, False, None),
    ],
    "raddningstjanst": [
        ("N07041", "Nettokostnad räddningstjänst, kr/inv", "kostnad", "lower", "kr/inv", "nettokostnad",
         False, None),
        ("N07009", "Kostnad räddningstjänst, kr/inv", "kostnad", "lower", "kr/inv", "kostnad", False, None),
        ("U07442", "Responstid för räddningstjänst, mediantid i minuter", "kvalitet", "lower", "min", None,
         False, None),
    ],
    "gymnasieskola": [
        ("N17014", "Nettokostnad gymnasieskola, kr/inv", "kostnad", "lower", "kr/inv", "nettokostnad",
         False, None),
        ("N17001", "Nettokostnadsavvikelse gymnasieskola, (%)", "kostnad", "lower", "%", None, False, 2019),
        ("N17304", "Gymnasieelever med examen inom 3 år, kommunalförbund, andel (%)", "kvalitet", "higher",
         "%", None, True, None),
    ],
    "_context": [
        ("N01951", "Invånare totalt, antal", "personal", "none", "antal", None, False, None),
        ("N00090", "Sjukfrånvaro totalt bland anställda, kommun, andel (%)", "personal", "lower", "%", None,
         False, None),
    ],
}
# fmt: on
AREA_SCB = {"overformyndare": ["100"], "raddningstjanst": ["270", "275"], "gymnasieskola": ["450"]}
AREA_TITLES = {
    "overformyndare": "Överförmyndare",
    "raddningstjanst": "Räddningstjänst",
    "gymnasieskola": "Gymnasieskola",
}
KPI_META = {kpi[0]: kpi[1] for kpis in AREA_KPIS.values() for kpi in kpis}
