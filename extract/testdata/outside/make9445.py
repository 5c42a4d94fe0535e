# Draws testdata/outside/9445-reportlab-blank.pdf, the blank of a 9445 edition
# made outside the project with another PDF library (Debian python3-reportlab):
#   /usr/bin/python3 make9445.py 9445-reportlab-blank.pdf
#   /usr/bin/python3 make9445.py 9445-reportlab-radio-blank.pdf --radio
# TestForeignMadeEdition adds it with template draft and a role mapping only.
# An "outside" FK 9445 edition drawn with reportlab: labels beside fields,
# other fonts, no corner marks, form number bottom right, page mark top right.
import sys
from outside import Page, y
out = sys.argv[1]
# --radio: the kind of order as one radio group (Bestallning: Ny, Andring,
# Borttag) instead of three tick boxes.
radio = "--radio" in sys.argv[2:]
p = Page(out, "Beställning av behörighet i SUS",
         "Uppföljningssystemet SUS – beställning för en användare. Fyll i med versaler eller på dator.")
c, form = p.c, p.form
heading = p.heading
def text(name, label, left, top, width, tip=None, labelw=120):
    c.setFont("Times-Roman", 10)
    c.drawString(left, y(top)+4, label)
    form.textfield(name=name, tooltip=tip, x=left+labelw, y=y(top)-2, width=width, height=18,
                   **p.style, fontName="Helvetica", fontSize=10)
def box(name, label, left, top, tip=None):
    form.checkbox(name=name, tooltip=tip, x=left, y=y(top)-1, size=11, buttonStyle='cross',
                  **p.style)
    c.setFont("Times-Roman", 10); c.drawString(left+16, y(top)+1, label)
heading(120, "1. Vad gäller beställningen?")
if radio:
    for value, label, left in (("Ny", "Ny användare", 50), ("Andring", "Ändrad behörighet", 200), ("Borttag", "Borttag", 370)):
        form.radio(name="Bestallning", value=value, selected=False, x=left, y=y(142)-1, size=11, buttonStyle='circle',
                   **p.style)
        c.setFont("Times-Roman", 10); c.drawString(left+16, y(142)+1, label)
else:
    box("Best_ny", "Ny användare", 50, 142)
    box("Best_andring", "Ändrad behörighet", 200, 142)
    box("Best_borttag", "Borttag", 370, 142)
heading(172, "2. Organisation")
text("Organisationsnamn", "Organisationens namn", 50, 196, 300, tip="Organisationens namn")
text("Orgnr", "Organisationsnummer", 50, 222, 140)
heading(252, "3. Användare")
text("Anv_namn", "Användarens namn", 50, 276, 300)
text("Anv_pnr", "Personnummer", 50, 302, 140, tip="Personnummer ÅÅÅÅMMDD-NNNN")
text("Anv_epost", "E-post", 50, 328, 300)
text("Anv_mobil", "Mobilnummer", 50, 354, 140)
text("Anv_tel", "Telefon, arbete", 50, 380, 140)
heading(410, "4. Inloggning och roller")
c.setFont("Times-Italic", 9); c.drawString(50, y(428), "Inloggning med")
box("Inl_SMS", "SMS-kod", 130, 428)
box("Inl_BankID", "BankID", 220, 428)
box("Inl_MBankID", "Mobilt BankID", 300, 428)
box("Inl_eID", "Annan e-legitimation", 410, 428)
c.setFont("Times-Italic", 9); c.drawString(50, y(450), "Roller i SUS")
box("Roll_SA", "Samverkansadministratör", 130, 450)
box("Roll_IA", "Insatsansvarig", 300, 450)
box("Roll_DA", "Deltagaransvarig", 130, 468)
box("Roll_RA", "SUSRapport", 300, 468)
heading(500, "5. Beställare (behörig att beställa)")
text("Best_namn", "Beställarens namn", 50, 524, 300)
text("Best_tel", "Telefon", 50, 550, 140)
text("Best_epost", "E-post", 50, 576, 300)
heading(606, "6. Underskrift")
text("Ort", "Ort", 50, 630, 160, labelw=40)
text("Datum", "Datum", 300, 630, 110, labelw=40)
c.setFont("Times-Roman", 10)
c.drawString(50, y(662), "Namnteckning")
c.setLineWidth(0.6); c.line(50, y(700), 300, y(700))
text("Namnfortydligande", "Namnförtydligande", 320, 690, 120, labelw=90)
p.finish("FK 9445 (003)")
