# Draws testdata/outside/9463-reportlab-blank.pdf, the blank of a 9463
# edition made outside the project with another PDF library (Debian
# python3-reportlab), its orderers in a table whose column heads are the
# only labels:
#   /usr/bin/python3 make9463.py 9463-reportlab-blank.pdf
# TestForeignMadeEdition adds it with template draft and a role mapping only.
import sys
from outside import Page, y
out = sys.argv[1]
p = Page(out, "Anmälan av behöriga beställare i SUS",
         "Firmatecknaren anmäler vem som får beställa behörighet till SUS för organisationen.")
c, form = p.c, p.form
heading = p.heading
def field(name, left, top, width, height=18, tip=None, size=9):
    form.textfield(name=name, tooltip=tip, x=left, y=y(top)-height+14, width=width, height=height,
                   **p.style, fontName="Helvetica", fontSize=size)
def box(name, left, top):
    form.checkbox(name=name, x=left, y=y(top)-1, size=11, buttonStyle='check',
                  **p.style)
heading(120, "A. Organisation")
c.setFont("Times-Roman", 10)
c.drawString(50, y(146), "Organisationens namn")
field("OrgNamn", 170, 150, 300)
c.drawString(50, y(172), "Organisationsnummer")
field("OrgNr", 170, 176, 140)
heading(206, "B. Beställare")
c.setFont("Helvetica-Bold", 8)
cols = [("Namn", 44), ("Personnummer", 180), ("Telefon", 272), ("E-post", 344), ("Ny", 500), ("Tas bort", 525)]
for text, left in cols:
    c.drawString(left, y(226), text)
for row in range(1, 5):
    top = 232 + (row-1)*26
    field("Rad%d_Namn" % row, 44, top+14, 130, size=8)
    field("Rad%d_Pnr" % row, 180, top+14, 86, size=8)
    field("Rad%d_Tel" % row, 272, top+14, 66, size=8)
    field("Rad%d_Epost" % row, 344, top+14, 150, size=7)
    box("Rad%d_Ny" % row, 502, top+12)
    box("Rad%d_Bort" % row, 530, top+12)
heading(356, "C. Underskrift av firmatecknare")
c.setFont("Times-Roman", 10)
c.drawString(50, y(382), "Ort")
field("Ort", 90, 386, 150)
c.drawString(260, y(382), "Datum")
field("Datum", 300, 386, 100)
c.drawString(50, y(410), "Titel")
field("Titel", 90, 414, 150)
c.drawString(50, y(440), "Namnteckning")
c.setLineWidth(0.6); c.line(50, y(480), 300, y(480))
c.drawString(320, y(440), "Namnförtydligande")
field("Fortydligande", 320, 466, 200)
p.finish("FK 9463 (003)")
