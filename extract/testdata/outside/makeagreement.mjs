// An outside edition of the agreement (Överenskommelse avseende
// uppföljningssystemet SUS), drawn with pdf-lib, another PDF library than
// the project's and than make9445.py's reportlab: labels left of their
// fields, the signature written on a line with its label under it, the
// page mark "Sida n/3" bottom centre, the edition bottom left in italics.
// Run: npm install pdf-lib@1.17.1 && node makeagreement.mjs OUT.pdf
// With --hierarchical, as a form designer such as Adobe LiveCycle names
// fields: each a kid of its page's subform, itself a kid of the form's
// root (form1[0].Sida1[0].Part_Namn[0]), edition (004); its organisation
// number is a comb field, one character to a printed cell, its postcode
// one with ticks between the cells, its name is
// sized by the filling tool, and the signing blocks' fields are written
// on dotted lines, with no frame.
import { PDFDocument, PDFHexString, PDFName, StandardFonts, rgb } from 'pdf-lib';
import { writeFileSync } from 'node:fs';

const doc = await PDFDocument.create();
doc.setTitle('Överenskommelse avseende uppföljningssystemet SUS');
const times = await doc.embedFont(StandardFonts.TimesRoman);
const timesBold = await doc.embedFont(StandardFonts.TimesRomanBold);
const timesItalic = await doc.embedFont(StandardFonts.TimesRomanItalic);
const helv = await doc.embedFont(StandardFonts.Helvetica);
const helvBold = await doc.embedFont(StandardFonts.HelveticaBold);
const form = doc.getForm();
const W = 595.28, H = 841.89, PAGES = 3;
const hierarchical = process.argv.includes('--hierarchical');
const edition = hierarchical ? '(004)' : '(003)';
let pageNo = 0;
const qualified = (name) => hierarchical ? `form1[0].Sida${pageNo}[0].${name}[0]` : name;
const top = (p, t) => H - t;

function chrome(page, n) {
  page.drawText('FÖRSÄKRINGSKASSAN', { x: 50, y: H - 48, size: 11, font: helvBold });
  page.drawLine({ start: { x: 50, y: H - 58 }, end: { x: W - 50, y: H - 58 }, thickness: 1.2 });
  pageNo = n;
  page.drawText(`Överenskommelse SUS ${edition}`, { x: 50, y: 40, size: 8, font: timesItalic });
  const mark = `Sida ${n}/${PAGES}`;
  page.drawText(mark, { x: W / 2 - helv.widthOfTextAtSize(mark, 8) / 2, y: 40, size: 8, font: helv });
}

function wrap(text, font, size, width) {
  const words = text.split(/\s+/), lines = [];
  let line = '';
  for (const w of words) {
    const t = line ? line + ' ' + w : w;
    if (font.widthOfTextAtSize(t, size) > width && line) { lines.push(line); line = w; } else line = t;
  }
  if (line) lines.push(line);
  return lines;
}

function para(page, text, y, { font = times, size = 10, x = 50, width = W - 100, gap = 3 } = {}) {
  for (const l of wrap(text, font, size, width)) {
    page.drawText(l, { x, y, size, font });
    y -= size + gap;
  }
  return y - 4;
}

// field draws a label left of a framed text field of width w at baseline y;
// comb, when given, is its number of cells, each holding one character,
// with a printed rule between them (ticks: a short one at the foot);
// dotted draws no frame but a dotted
// line to write on; autoSize leaves the text's size to the filling tool
// (0 in the field's default appearance: as large as fits).
function field(page, name, label, x, y, labelW, w, tip, { comb, ticks, dotted, autoSize } = {}) {
  page.drawText(label, { x, y: y + 5, size: 9, font: helv });
  const tf = form.createTextField(qualified(name));
  if (comb) {
    tf.setMaxLength(comb);
    tf.enableCombing();
    // Rules between the cells, the field's height, or with ticks a
    // third of it from its foot.
    for (let i = 1; i < comb; i++) {
      const cx = x + labelW + (w * i) / comb;
      page.drawLine({ start: { x: cx, y }, end: { x: cx, y: y + (ticks ? 6 : 18) }, thickness: 0.5, color: rgb(0.3, 0.3, 0.3) });
    }
  }
  if (dotted) {
    page.drawLine({ start: { x: x + labelW, y: y + 3 }, end: { x: x + labelW + w, y: y + 3 }, thickness: 0.7, dashArray: [0.7, 2.3], color: rgb(0.2, 0.2, 0.2) });
    tf.addToPage(page, { x: x + labelW, y, width: w, height: 18, font: helv, borderWidth: 0 });
  } else {
    tf.addToPage(page, { x: x + labelW, y, width: w, height: 18, font: helv, borderColor: rgb(0.3, 0.3, 0.3), borderWidth: 0.8 });
  }
  if (comb || dotted) {
    // No background: the printed rules show through the field.
    for (const wd of tf.acroField.getWidgets()) wd.getAppearanceCharacteristics()?.dict.delete(PDFName.of('BG'));
  }
  tf.setFontSize(autoSize ? 0 : 10);
  tf.acroField.dict.set(PDFName.of('TU'), PDFHexString.fromText(tip ?? label));
}

// Page 1: the parties.
let p = doc.addPage([W, H]);
chrome(p, 1);
p.drawText('Överenskommelse avseende uppföljningssystemet SUS', { x: 50, y: H - 95, size: 16, font: timesBold });
let y = para(p, 'Denna överenskommelse om användandet av uppföljningssystemet SUS, nedan kallat SUS, gäller mellan Försäkringskassan, 103 51 Stockholm, organisationsnummer 202100-5521, och den part som anges nedan.', H - 125);
p.drawText('Part', { x: 50, y: y - 10, size: 12, font: timesBold });
y -= 38;
field(p, 'Part_Namn', 'Organisationens namn', 50, y, 120, 375, undefined, { autoSize: hierarchical });
y -= 28;
field(p, 'Part_Orgnr', 'Organisationsnummer', 50, y, 120, hierarchical ? 176 : 150, undefined, { comb: hierarchical ? 11 : 0 });
y -= 28;
field(p, 'Part_Adress', 'Adress', 50, y, 120, 375);
y -= 28;
field(p, 'Part_Postnr', 'Postnummer', 50, y, 120, 80, undefined, { comb: hierarchical ? 6 : 0, ticks: true });
field(p, 'Part_Postort', 'Postort', 270, y, 50, 225);
for (const [heading, lead, pre, whose] of [
  ['Kontaktperson', 'Den som är kontaktperson gentemot Försäkringskassan för avtalet och vid administrativa frågor.', 'Kontakt', 'Kontaktpersonens'],
  ['Firmatecknare', 'Den som är behörig firmatecknare för organisationen och skriver under överenskommelsen på sista sidan.', 'Firma', 'Firmatecknarens'],
]) {
  y -= 40;
  p.drawText(heading, { x: 50, y, size: 12, font: timesBold });
  y = para(p, lead, y - 16, { size: 9 });
  y -= 14;
  for (const [name, label, w, tip] of [['Namn', 'Namn', 375, 'namn'], ['Titel', 'Titel', 375, 'titel'], ['Tel', 'Telefon', 150, 'telefonnummer'], ['Epost', 'E-post', 375, 'e-postadress']]) {
    field(p, `${pre}_${name}`, label, 50, y, 120, w, `${whose} ${tip}`);
    y -= 28;
  }
  y += 28;
}
y -= 36;
para(p, 'Firmatecknaren daterar och skriver under två exemplar av överenskommelsen.', y, { font: timesItalic, size: 9 });

// Page 2: the terms.
p = doc.addPage([W, H]);
chrome(p, 2);
y = H - 95;
const terms = [
  ['§1 Parter', 'Denna överenskommelse om användandet av uppföljningssystemet SUS har denna dag träffats mellan Försäkringskassan och Part.'],
  ['§2 Dokument och prioritetsordning', 'Utöver denna handling gäller bilaga 1, Beskrivning av SUS, och bilaga 2, Beskrivning av behörighetsprocessen i SUS. Vid motstridiga uppgifter gäller ändringar och tillägg först, därefter denna överenskommelse och sist bilagorna.'],
  ['§3 Omfattning', 'Överenskommelsen reglerar administreringen av behörigheter till och användandet av SUS för Parts anställda. Behöriga beställare anges på blankett 9463 Anmälan behöriga beställare i SUS.'],
  ['§4 Tjänsten', 'SUS är ett uppföljningssystem för samverkan. Försäkringskassan är systemägare, men tjänsten är myndighetsgemensam. Uppgifter om personliga förhållanden hanteras med särskilda krav på säkerhet.'],
  ['§5 Giltighetstid', 'Överenskommelsen gäller från det datum då båda parter har undertecknat den och tills vidare. Uppsägning ska vara skriftlig och ske senast sex månader innan överenskommelsen önskas upphöra.'],
  ['§6 Försäkringskassans ansvar', 'Försäkringskassan tilldelar och tar bort behörigheter enligt de anmälningar och beställningar som görs på blanketterna 9463 och 9445, och meddelar Part när bilagorna uppdateras.'],
  ['§7 Parts ansvar', 'Part ansvarar för att överenskommelsen undertecknas av behörig firmatecknare, att utse beställare, att följa upp tilldelade behörigheter och att genast meddela ändringar skriftligt till Försäkringskassan.'],
  ['§8 Övergångsbestämmelser', 'Beställare och användare som redan har behörighet när överenskommelsen träder i kraft behåller den tills den löper ut.'],
  ['§9 Ändringar och tillägg', 'Ändringar och tillägg ska vara skriftliga och undertecknade av behöriga företrädare för båda parter.'],
  ['§10 Support', 'Försäkringskassan ansvarar för support kring tjänsten SUS, se bilaga 1.'],
  ['§11 Viljeinriktning', 'Parterna ska sträva efter att anpassa sig till nya förhållanden. Överenskommelsen bygger på ett ömsesidigt förtroende mellan parterna.'],
];
for (const [h, t] of terms) {
  p.drawText(h, { x: 50, y, size: 11, font: timesBold });
  y = para(p, t, y - 15, { size: 10 });
  y -= 6;
}

// Page 3: the signatures, each on a line with its label under it.
p = doc.addPage([W, H]);
chrome(p, 3);
p.drawText('§12 Underskrifter', { x: 50, y: H - 95, size: 13, font: timesBold });
para(p, 'Denna överenskommelse har upprättats i två exemplar, varav parterna har tagit var sitt.', H - 115);
for (const [x, who, pre] of [[50, 'För Part', 'Part'], [310, 'För Försäkringskassan', 'FK']]) {
  let yy = H - 170;
  p.drawText(who, { x, y: yy, size: 11, font: timesBold });
  yy -= 34;
  field(p, pre + '_Ort', 'Ort', x, yy, 40, 190, who + ': ort', { dotted: hierarchical });
  yy -= 28;
  field(p, pre + '_Datum', 'Datum', x, yy, 40, 110, who + ': datum', { dotted: hierarchical });
  yy -= 70;
  p.drawLine({ start: { x, y: yy }, end: { x: x + 230, y: yy }, thickness: 0.7 });
  p.drawText('Namnteckning (behörig firmatecknare)', { x, y: yy - 11, size: 8, font: helv });
  yy -= 44;
  field(p, pre + '_Fortydligande', 'Namnförtydligande', x, yy, 90, 140, who + ': namnförtydligande', { dotted: hierarchical });
}

writeFileSync(process.argv[2], await doc.save());
