# Draws testdata/outside/9463-reportlab-blank.pdf, the blank of a 9463
# edition made outside the project with another PDF library (Debian
# python3-reportlab), its orderers in a table whose column heads are the
# only labels:
#   python3 make9463.py 9463-reportlab-blank.pdf
# TestForeignMadeEdition adds it with template draft and a role mapping only.
from reportlab.pdfgen import canvas
from reportlab.lib.pagesizes import A4
from reportlab.lib.colors import black, white, Color
import sys
out = sys.argv[1]
W, H = A4
c = canvas.Canvas(out, pagesize=A4)
c.setTitle("Anmälan av behöriga beställare")
form = c.acroForm
def y(top): return H - top
c.setFont("Helvetica", 9)
c.drawRightString(W-40, y(40), "Försäkringskassan")
c.drawRightString(W-40, y(52), "Sida 1 (1)")
c.setFont("Times-Bold", 17)
c.drawString(40, y(70), "Anmälan av behöriga beställare i SUS")
c.setFont("Times-Roman", 10)
c.drawString(40, y(88), "Firmatecknaren anmäler vem som får beställa behörighet till SUS för organisationen.")
shade = Color(0.88, 0.88, 0.88)
def heading(top, text):
    c.setFillColor(shade); c.rect(40, y(top)-4, W-80, 16, stroke=0, fill=1)
    c.setFillColor(black); c.setFont("Helvetica-Bold", 10); c.drawString(44, y(top), text)
def field(name, left, top, width, height=18, tip=None, size=9):
    form.textfield(name=name, tooltip=tip, x=left, y=y(top)-height+14, width=width, height=height,
                   borderWidth=0.6, borderColor=black, fillColor=white, textColor=black, forceBorder=True, fontName="Helvetica", fontSize=size)
def box(name, left, top):
    form.checkbox(name=name, x=left, y=y(top)-1, size=11, buttonStyle='check',
                  borderWidth=0.6, borderColor=black, fillColor=white, textColor=black, forceBorder=True)
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
c.setFont("Helvetica", 7)
c.drawString(40, y(800), "Skickas till: Försäkringskassan, SUS behörighetsadministration, 103 51 Stockholm")
c.setFont("Helvetica-Bold", 8)
c.drawRightString(W-40, y(812), "FK 9463 (003)")
c.showPage()
c.save()
