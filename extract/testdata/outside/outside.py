# The page both outside editions are drawn on (make9445.py, make9463.py):
# a header with the page mark top right, a title and a lead line, shaded
# section headings, and a footer with the address and the form number
# bottom right. Drawn with another PDF library than the project's
# (Debian python3-reportlab), as an edition made outside the project is.
# Run with /usr/bin/python3. Mind that Debian's python3-reportlab pulls in
# fonts-urw-base35, which poppler then draws the standard fonts with
# (Helvetica, Times) in place of Liberation: the test corpus and the golden
# samples render differently while it is installed, and golden tests fail.
# Remove it after (apt-get purge python3-reportlab fonts-urw-base35).
from reportlab.pdfgen import canvas
from reportlab.lib.pagesizes import A4
from reportlab.lib.colors import black, white, Color

W, H = A4


def y(top):
    return H - top


class Page:
    def __init__(self, out, title, lead):
        self.c = canvas.Canvas(out, pagesize=A4)
        self.form = self.c.acroForm
        c = self.c
        c.setTitle(title)
        c.setFont("Helvetica", 9)
        c.drawRightString(W-40, y(40), "Försäkringskassan")
        c.drawRightString(W-40, y(52), "Sida 1 (1)")
        c.setFont("Times-Bold", 17)
        c.drawString(40, y(70), title)
        c.setFont("Times-Roman", 10)
        c.drawString(40, y(88), lead)

    def heading(self, top, text):
        c = self.c
        c.setFillColor(Color(0.88, 0.88, 0.88)); c.rect(40, y(top)-4, W-80, 16, stroke=0, fill=1)
        c.setFillColor(black); c.setFont("Helvetica-Bold", 10); c.drawString(44, y(top), text)

    # style is what every widget shares: thin black frames on white.
    style = dict(borderWidth=0.6, borderColor=black, fillColor=white, textColor=black, forceBorder=True)

    def finish(self, number):
        c = self.c
        c.setFont("Helvetica", 7)
        c.drawString(40, y(800), "Skickas till: Försäkringskassan, SUS behörighetsadministration, 103 51 Stockholm")
        c.setFont("Helvetica-Bold", 8)
        c.drawRightString(W-40, y(812), number)
        c.showPage()
        c.save()
