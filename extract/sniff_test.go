package extract

import "testing"

func TestSniff(t *testing.T) {
	cases := []struct {
		name string
		head string
		want string
		ok   bool
	}{
		{"pdf", "%PDF-1.7\n%\xe2\xe3", MediaPDF, true},
		{"pdf after junk", "\r\n\r\n%PDF-1.4", MediaPDF, true},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00", MediaPNG, true},
		{"jpeg", "\xff\xd8\xff\xe0\x00\x10JFIF", MediaJPEG, true},
		{"tiff little", "II*\x00\x08\x00\x00\x00", MediaTIFF, true},
		{"tiff big", "MM\x00*\x00\x00\x00\x08", MediaTIFF, true},
		{"empty", "", "", false},
		{"html", "<!doctype html><html>", "", false},
		{"zip", "PK\x03\x04", "", false},
		{"svg", "<svg xmlns='http://www.w3.org/2000/svg'/>", "", false},
		{"text", "Hej!\n", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := Sniff([]byte(c.head))
			if got != c.want || ok != c.ok {
				t.Fatalf("Sniff(%q) = %q, %v; want %q, %v", c.head, got, ok, c.want, c.ok)
			}
		})
	}
}

func FuzzSniff(f *testing.F) {
	for _, s := range []string{"%PDF-1.7", "\x89PNG\r\n\x1a\n", "\xff\xd8\xff", "II*\x00", "MM\x00+\x00\x08", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, head []byte) {
		mt, ok := Sniff(head)
		if ok != (mt != "") {
			t.Fatalf("Sniff(%q) = %q, %v: ok and type disagree", head, mt, ok)
		}
	})
}
