// An outside edition of form 9445 drawn with pdf-lib, unlike the project's
// editions and make9445.py's: labels above their fields, the fields ruled
// underneath with no frame, two columns, the personnummer and the
// organisation number comb fields (one character to a cell), the form
// number top right in a typewriter face, the page mark "1 (1)" bottom
// right, the fields named as an English-speaking designer names them.
// With --boxed, edition (006), laid out as Försäkringskassan's own forms
// are: each label printed small inside its cell's top left corner, the
// field below it in the cell, tick boxes right of their labels, the page
// mark top right, and the form number turned a quarter up the left margin.
// Run: npm install pdf-lib@1.17.1 && node make9445pdflib.mjs OUT.pdf [--boxed]
import { PDFDocument, PDFHexString, PDFName, StandardFonts, degrees, rgb } from 'pdf-lib';
import { writeFileSync } from 'node:fs';

const doc = await PDFDocument.create();
doc.setTitle('Beställning av behörighet i SUS');
const helv = await doc.embedFont(StandardFonts.Helvetica);
const helvBold = await doc.embedFont(StandardFonts.HelveticaBold);
const courier = await doc.embedFont(StandardFonts.Courier);
const form = doc.getForm();
const W = 595.28, H = 841.89;
const p = doc.addPage([W, H]);
const y = (top) => H - top;
const grey = rgb(0.25, 0.25, 0.25);
const boxed = process.argv.includes('--boxed');

p.drawText('Försäkringskassan', { x: 50, y: y(50), size: 12, font: helvBold });
const number = boxed ? 'FK 9445 (006)' : 'FK 9445 (005)';
if (boxed) {
  p.drawText(number, { x: 28, y: 60, size: 8, font: helv, rotate: degrees(90) });
  p.drawText('1 (1)', { x: W - 50 - helv.widthOfTextAtSize('1 (1)', 9), y: y(50), size: 9, font: helv });
} else {
  p.drawText(number, { x: W - 50 - courier.widthOfTextAtSize(number, 9), y: y(50), size: 9, font: courier });
}
p.drawText('Beställning av behörighet i SUS', { x: 50, y: y(88), size: 15, font: helvBold });
p.drawText('Blanketten fylls i av en behörig beställare hos organisationen och skickas till Försäkringskassan.', { x: 50, y: y(106), size: 9, font: helv });

function heading(top, text) {
  p.drawText(text, { x: 50, y: y(top), size: 10, font: helvBold });
  p.drawLine({ start: { x: 50, y: y(top) - 4 }, end: { x: W - 50, y: y(top) - 4 }, thickness: 1.4 });
}

// text draws a label above a field whose foot is ruled, with short ticks
// at its ends; comb, when given, is its number of cells, ticked alike.
function text(name, label, x, top, w, { comb, tip } = {}) {
  if (boxed) return cell(name, label, x, top, w, { comb, tip });
  p.drawText(label, { x, y: y(top), size: 7.5, font: helv, color: grey });
  const foot = y(top) - 20;
  p.drawLine({ start: { x, y: foot }, end: { x: x + w, y: foot }, thickness: 0.6 });
  const cells = comb || 1;
  for (let i = 0; i <= cells; i++) {
    const cx = x + (w * i) / cells;
    p.drawLine({ start: { x: cx, y: foot }, end: { x: cx, y: foot + 5 }, thickness: 0.6 });
  }
  field(name, { x, y: foot + 1, width: w, height: 15 }, comb, tip ?? label);
}

// cell draws a framed cell 30 points high whose top edge is 8 points
// above top, its label small in the top left corner, the field in the
// cell's lower part.
function cell(name, label, x, top, w, { comb, tip } = {}) {
  const foot = y(top) - 22;
  p.drawRectangle({ x, y: foot, width: w, height: 30, borderColor: rgb(0, 0, 0), borderWidth: 0.6 });
  p.drawText(label, { x: x + 3, y: y(top) - 6, size: 6.5, font: helv });
  if (comb) {
    for (let i = 1; i < comb; i++) {
      const cx = x + (w * i) / comb;
      p.drawLine({ start: { x: cx, y: foot }, end: { x: cx, y: foot + 6 }, thickness: 0.5 });
    }
  }
  field(name, { x: x + 1, y: foot + 1, width: w - 2, height: 17 }, comb, tip ?? label);
}

// field adds a text field at rect with no frame or background (the
// printed rules show), comb cells when given, and its tooltip.
function field(name, rect, comb, tip) {
  const tf = form.createTextField(name);
  if (comb) {
    tf.setMaxLength(comb);
    tf.enableCombing();
  }
  tf.addToPage(p, { ...rect, font: helv, borderWidth: 0 });
  for (const wd of tf.acroField.getWidgets()) wd.getAppearanceCharacteristics()?.dict.delete(PDFName.of('BG'));
  tf.setFontSize(10);
  tf.acroField.dict.set(PDFName.of('TU'), PDFHexString.fromText(tip));
}

function box(name, label, x, top) {
  if (boxed) {
    // The label first, the box after it.
    p.drawText(label, { x, y: y(top), size: 9, font: helv });
    x += helv.widthOfTextAtSize(label, 9) + 6;
  }
  const cb = form.createCheckBox(name);
  cb.addToPage(p, { x, y: y(top) - 2, width: 10, height: 10, borderColor: rgb(0, 0, 0), borderWidth: 0.8 });
  cb.acroField.dict.set(PDFName.of('TU'), PDFHexString.fromText(label));
  if (!boxed) p.drawText(label, { x: x + 15, y: y(top), size: 9, font: helv });
}

heading(140, 'Beställningen gäller');
box('chkNewUser', 'Ny användare', 50, 160);
box('chkChange', 'Ändrad behörighet', 200, 160);
box('chkRemove', 'Borttagen behörighet', 370, 160);

heading(192, 'Organisation');
text('txtOrgName', 'Organisationens namn', 50, 210, 290);
text('txtOrgNo', 'Organisationsnummer', 370, 210, 175, { comb: 11 });

heading(256, 'Användare');
text('txtUserName', 'För- och efternamn', 50, 274, 290);
text('txtUserId', 'Personnummer (ÅÅÅÅMMDD-NNNN)', 370, 274, 175, { comb: 13 });
text('txtUserMail', 'E-postadress', 50, 310, 290);
text('txtUserMobile', 'Mobilnummer', 370, 310, 175);
text('txtUserPhone', 'Telefon i tjänsten', 50, 346, 175);

heading(392, 'Inloggningssätt');
box('chkSms', 'SMS', 50, 412);
box('chkBankId', 'BankID', 140, 412);
box('chkMobileBankId', 'Mobilt BankID', 240, 412);
box('chkEid', 'Annan e-legitimation', 370, 412);

heading(444, 'Behörighet i SUS');
box('chkSamverkan', 'Samverkansadministratör', 50, 464);
box('chkInsats', 'Insatsansvarig', 240, 464);
box('chkDeltagare', 'Deltagaransvarig', 50, 482);
box('chkRapport', 'SUSRapport', 240, 482);

heading(516, 'Beställare');
text('txtOrdererName', 'Beställarens namn', 50, 534, 290);
text('txtOrdererPhone', 'Beställarens telefon', 370, 534, 175);
text('txtOrdererMail', 'Beställarens e-postadress', 50, 570, 290);

heading(616, 'Underskrift');
text('txtPlace', 'Ort', 50, 634, 140);
text('txtDate', 'Datum', 210, 634, 100);
p.drawLine({ start: { x: 50, y: y(700) }, end: { x: 300, y: y(700) }, thickness: 0.7 });
p.drawText('Beställarens underskrift', { x: 50, y: y(710), size: 7.5, font: helv, color: grey });
text('txtSignerName', 'Namnförtydligande', 330, 680, 215);

p.drawText('Försäkringskassan, 103 51 Stockholm', { x: 50, y: 36, size: 7, font: helv });
if (!boxed) p.drawText('1 (1)', { x: W - 50 - helv.widthOfTextAtSize('1 (1)', 8), y: 36, size: 8, font: helv });

writeFileSync(process.argv[2], await doc.save());
