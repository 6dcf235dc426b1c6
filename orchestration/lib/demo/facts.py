"""Facts the demo world is built on: approximate kommun sizes, SCB labels, cooperation groups, KPI metadata.

Populations are rounded approximations of 2024 sizes, enough to make the simulated levels plausible;
they are not statistics and the snapshot never presents them as such.
"""

from __future__ import annotations

# Approximate population (rounded) of the kommuner the demo gives values: cooperation members and
# small, mostly rural kommuner that make a natural comparison pool for them.
APPROX_POPULATION: dict[str, int] = {
    "0509": 5300,  # Ödeshög
    "0512": 3800,  # Ydre
    "0513": 10000,  # Kinda
    "0560": 5600,  # Boxholm
    "0561": 11400,  # Åtvidaberg
    "0563": 7600,  # Valdemarsvik
    "0604": 6800,  # Aneby
    "0617": 9500,  # Gnosjö
    "0642": 7300,  # Mullsjö
    "0662": 29500,  # Gislaved
    "0665": 14200,  # Vaggeryd
    "0682": 31900,  # Nässjö
    "0684": 11800,  # Sävsjö
    "0685": 27700,  # Vetlanda
    "0686": 17900,  # Eksjö
    "0687": 19200,  # Tranås
    "0760": 9500,  # Uppvidinge
    "0761": 8700,  # Lessebo
    "0763": 12300,  # Tingsryd
    "0764": 20300,  # Alvesta
    "0765": 18000,  # Älmhult
    "0767": 10200,  # Markaryd
    "0821": 5700,  # Högsby
    "0834": 7300,  # Torsås
    "0840": 15600,  # Mörbylånga
    "0860": 13700,  # Hultsfred
    "0861": 13600,  # Mönsterås
    "0862": 9300,  # Emmaboda
    "0884": 15500,  # Vimmerby
    "0885": 10900,  # Borgholm
    "1060": 13000,  # Olofström
    "1256": 15000,  # Östra Göinge
    "1257": 10200,  # Örkelljunga
    "1272": 12700,  # Bromölla
    "1273": 13200,  # Osby
    "1275": 7500,  # Perstorp
    "1315": 11000,  # Hylte
    "1421": 15200,  # Orust
    "1427": 9000,  # Sotenäs
    "1430": 10500,  # Munkedal
    "1435": 12900,  # Tanum
    "1438": 4600,  # Dals-Ed
    "1439": 6500,  # Färgelanda
    "1444": 5700,  # Grästorp
    "1445": 5600,  # Essunga
    "1446": 6900,  # Karlsborg
    "1447": 5200,  # Gullspång
    "1452": 11800,  # Tranemo
    "1460": 9300,  # Bengtsfors
    "1461": 9300,  # Mellerud
    "1462": 14000,  # Lilla Edet
    "1465": 10700,  # Svenljunga
    "1466": 9500,  # Herrljunga
    "1470": 16100,  # Vara
    "1472": 11200,  # Tibro
    "1473": 9300,  # Töreboda
    "1492": 12200,  # Åmål
    "1715": 12000,  # Kil
    "1730": 8500,  # Eda
    "1737": 11700,  # Torsby
    "1760": 4000,  # Storfors
    "1762": 3600,  # Munkfors
    "1763": 11500,  # Forshaga
    "1764": 9000,  # Grums
    "1765": 10000,  # Årjäng
    "1766": 13100,  # Sunne
    "1782": 10400,  # Filipstad
    "1783": 11500,  # Hagfors
    "1814": 8300,  # Lekeberg
    "1860": 5600,  # Laxå
    "1862": 9400,  # Degerfors
    "1863": 6700,  # Hällefors
    "1864": 4700,  # Ljusnarsberg
    "1882": 11500,  # Askersund
    "1884": 10600,  # Nora
    "1904": 4400,  # Skinnskatteberg
    "1907": 10000,  # Surahammar
    "1960": 8700,  # Kungsör
    "1962": 5600,  # Norberg
    "1981": 23000,  # Sala
    "1982": 13300,  # Fagersta
    "1984": 14000,  # Arboga
    "2021": 6700,  # Vansbro
    "2023": 10100,  # Malung-Sälen
    "2026": 10200,  # Gagnef
    "2029": 15900,  # Leksand
    "2031": 11000,  # Rättvik
    "2034": 6900,  # Orsa
    "2039": 7000,  # Älvdalen
    "2061": 10700,  # Smedjebacken
    "2082": 11100,  # Säter
    "2083": 15300,  # Hedemora
    "2084": 23000,  # Avesta
    "2101": 5700,  # Ockelbo
    "2121": 11400,  # Ovanåker
    "2132": 9400,  # Nordanstig
    "2161": 19000,  # Ljusdal
    "2260": 9000,  # Ånge
    "2283": 19000,  # Sollefteå
    "2303": 5300,  # Ragunda
    "2305": 6200,  # Bräcke
    "2309": 15500,  # Krokom
    "2313": 11500,  # Strömsund
    "2321": 12000,  # Åre
    "2326": 7000,  # Berg
    "2361": 10000,  # Härjedalen
    "2401": 7200,  # Nordmaling
    "2403": 2500,  # Bjurholm
    "2404": 5400,  # Vindeln
    "2409": 6800,  # Robertsfors
    "2417": 3900,  # Norsjö
    "2418": 3000,  # Malå
    "2421": 5700,  # Storuman
    "2422": 2400,  # Sorsele
    "2425": 2400,  # Dorotea
    "2460": 8800,  # Vännäs
    "2462": 6400,  # Vilhelmina
    "2463": 2800,  # Åsele
    "2481": 12200,  # Lycksele
    "2505": 6100,  # Arvidsjaur
    "2506": 2700,  # Arjeplog
    "2510": 5000,  # Jokkmokk
    "2513": 3200,  # Överkalix
    "2514": 15700,  # Kalix
    "2518": 4300,  # Övertorneå
    "2521": 6000,  # Pajala
    "2523": 17500,  # Gällivare
    "2560": 8100,  # Älvsbyn
    "2583": 9600,  # Haparanda
}

# Kolada's cooperation groups (real ids and titles) and their members.
COOPERATION_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "G168177": ("Höglandskommunerna (ovägt medel)", ("0604", "0682", "0684", "0685", "0686")),
    "G216668": ("Dalsland", ("1438", "1439", "1460", "1461", "1492")),
    "G122469": (
        "Region 10 (ovägt medel)",
        ("2417", "2418", "2421", "2422", "2425", "2462", "2463", "2481", "2505", "2506"),
    ),
    "G148079": ("Norra Västmanlands Utbildningsförbund", ("1904", "1962", "1982")),
}

# TAB4199 Verksomrkom labels for the codes the demo serves.
SCB_VERKSAMHET_LABELS: dict[str, str] = {
    "100": "Nämnd- och styrelseverksamhet",
    "120": "Revision",
    "215": "Fysisk och teknisk planering, bostadsförbättring",
    "261": "Miljö- och hälsoskydd, myndighetsutövning",
    "270": "Räddningstjänst",
    "275": "Totalförsvar och samhällsskydd",
    "450": "Gymnasieskola",
    "510": "Vård och omsorg om äldre",
    "790": "Summa egentlig verksamhet",
    "865": "Vattenförsörjning och avloppshantering",
    "870": "Avfallshantering",
}
TOTAL_VERKSAMHET = "790"
RIKET_SCB = "00"
RIKET_KOLADA = "0000"

DIVIDED_BY_GENDER = frozenset({"N01951", "N17441", "N00090", "N00206"})
BOTH_TYPES = frozenset({"N01951"})  # KPIs Kolada also publishes for regioner (municipality_type A)

OPERATING_AREA_BY_AREA: dict[str, str] = {
    "raddningstjanst": "Infrastruktur, miljö- och hälsoskydd mm",
    "miljo_halsoskydd": "Infrastruktur, miljö- och hälsoskydd mm",
    "bygg_plan": "Infrastruktur, miljö- och hälsoskydd mm",
    "va": "Affärsverksamhet",
    "avfall": "Affärsverksamhet",
    "overformyndare": "Demokrati",
    "gymnasieskola": "Gymnasieskola åk 1-3",
    "_context": "Kommunen, övergripande",
}
OPERATING_AREA_BY_KPI: dict[str, str] = {"N01951": "Befolkning"}
