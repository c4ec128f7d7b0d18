"""Regenerate the session 2 vision images (seeded, reproducible): a budget chart and a scanned form.

Run from the course folder: ``python toolkit/data/images/make_images.py``.  Each image gets a
``<image>.description.txt`` sidecar, used as the simulated description in offline mode.
The data are fictional (Commune de Belrive does not exist).
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 2026


def budget_chart(path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    data = pd.read_csv(HERE.parent / "session2" / "budget-commune.csv")
    charges = data[(data.annee == 2024) & (data.nature == "Charges")].copy()
    charges = charges.sort_values("budget_chf", ascending=True)
    fig, ax = plt.subplots(figsize=(9, 5.5))
    y = range(len(charges))
    ax.barh([i + 0.2 for i in y], charges.budget_chf / 1e6, height=0.4, label="Budget 2024",
            color="#9bb7d4")
    ax.barh([i - 0.2 for i in y], charges.comptes_chf / 1e6, height=0.4, label="Comptes 2024",
            color="#1f4e79")
    ax.set_yticks(list(y), charges.domaine)
    ax.set_xlabel("millions de CHF")
    ax.set_title("Commune de Belrive (fictive) : charges 2024 par domaine, budget et comptes")
    ax.legend(loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    fig.text(0.99, 0.01, "Données fictives, Atelier IA (2026)", ha="right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def scanned_form(path: Path) -> None:
    import numpy as np
    from matplotlib import font_manager
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    rng = np.random.default_rng(SEED)
    regular = font_manager.findfont("DejaVu Sans")
    bold = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans",
                                                             weight="bold"))
    hand = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans",
                                                             style="oblique"))
    f_title = ImageFont.truetype(bold, 30)
    f_label = ImageFont.truetype(regular, 20)
    f_small = ImageFont.truetype(regular, 15)
    f_hand = ImageFont.truetype(hand, 23)
    img = Image.new("L", (1000, 1300), 250)
    d = ImageDraw.Draw(img)
    d.text((60, 50), "COMMUNE DE BELRIVE (fictive) — Contrôle des habitants", font=f_label, fill=40)
    d.text((60, 100), "Demande d'attestation de domicile", font=f_title, fill=10)
    d.line((60, 150, 940, 150), fill=60, width=2)
    fields = [
        ("Nom", "EXEMPLE"),
        ("Prénom", "Camille"),
        ("Date de naissance", "14.03.1987"),
        ("Adresse", "Chemin des Tilleuls 12, 1299 Belrive"),
        ("Arrivée dans la commune", "01.09.2021"),
        ("Nombre d'exemplaires", "2"),
        ("Motif", "Dossier de bail pour un nouveau logement"),
    ]
    y = 190
    for label, value in fields:
        d.text((60, y), f"{label} :", font=f_label, fill=20)
        d.line((330, y + 28, 940, y + 28), fill=120, width=1)
        d.text((340 + int(rng.integers(0, 12)), y - 2 + int(rng.integers(-2, 3))), value,
               font=f_hand, fill=35)
        y += 70
    d.text((60, y + 10), "Mode de retrait :", font=f_label, fill=20)
    for i, (label, ticked) in enumerate((("Au guichet", False), ("Par courrier", True),
                                         ("Par e-mail (PDF signé)", False))):
        x = 330 + i * 210
        d.rectangle((x, y + 12, x + 22, y + 34), outline=20, width=2)
        if ticked:
            d.line((x + 3, y + 22, x + 10, y + 32), fill=30, width=3)
            d.line((x + 10, y + 32, x + 24, y + 6), fill=30, width=3)
        d.text((x + 30, y + 10), label, font=f_small, fill=20)
    y += 80
    d.text((60, y), "Émolument : CHF 20.– par exemplaire", font=f_label, fill=20)
    d.text((60, y + 60), "Date : 27.11.2026", font=f_label, fill=20)
    d.text((560, y + 60), "Signature :", font=f_label, fill=20)
    d.line((680, y + 100, 900, y + 70), fill=40, width=2)
    d.line((700, y + 80, 860, y + 95), fill=40, width=2)
    d.rectangle((60, 1150, 940, 1250), outline=90, width=1)
    d.text((75, 1160), "Réservé à l'administration — reçu le : ____  visa : ____", font=f_small,
           fill=70)
    # Scan look: slight rotation, grain, blur.
    img = img.rotate(-1.2, resample=Image.BICUBIC, expand=False, fillcolor=235)
    noise = rng.normal(0, 6, (img.height, img.width))
    arr = np.clip(np.asarray(img, dtype=float) + noise, 0, 255).astype("uint8")
    img = Image.fromarray(arr).filter(ImageFilter.GaussianBlur(0.6))
    img.save(path, quality=80, optimize=True)


if __name__ == "__main__":
    budget_chart(HERE / "graphique-budget-commune.png")
    scanned_form(HERE / "formulaire-scanne.jpg")
