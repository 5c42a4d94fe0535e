package extract

import (
	"context"
	"os"
	"testing"
)

func TestZZFile(t *testing.T) {
	b, err := os.ReadFile(os.Getenv("ZZFILE"))
	if err != nil {
		t.Fatal(err)
	}
	e := newTestExtractor(t)
	res, err := e.Extract(context.Background(), MediaPDF, b)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Documents {
		n := 0
		for _, v := range d.Fields {
			if v.Value != "" {
				n++
			}
		}
		t.Logf("doc %s pages %d-%d: %d fields with values; %v", d.Edition, d.FirstPage, d.LastPage, n, d.Fields["org_name"])
	}
	t.Logf("%s", summary(res))
}
