package review_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"blankett/corpus"
	"blankett/form"
	"blankett/pipeline"
	"blankett/pipeline/pipelinetest"
	"blankett/review"
)

// TestClassifyByHandReadsFields: an unclassified document's page offers
// the active editions; the reviewer picks one, and a working pipeline
// reads the file as that edition: the fields of the filled form are
// there afterwards, the document is in review, and the choice is
// audited.
func TestClassifyByHandReadsFields(t *testing.T) {
	h := newHarness(t, nil)
	h.account("rita", form.AccountReviewer)
	ctx := context.Background()

	paths, _ := filepath.Glob("../testdata/corpus/digital/9445-valid-*.pdf")
	sort.Strings(paths)
	if len(paths) == 0 {
		t.Fatal("no filled 9445 in the corpus")
	}
	pdf, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	var truth corpus.Truth
	b, err := os.ReadFile(strings.TrimSuffix(paths[0], ".pdf") + ".truth.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &truth); err != nil {
		t.Fatal(err)
	}

	// Received, and found to be none of the known forms: nothing read, no
	// step pending.
	res, err := h.pipe.Ingest(ctx, pipeline.Upload{Filename: "okand.pdf", Source: "http", Actor: "test", Body: strings.NewReader(string(pdf))})
	if err != nil {
		t.Fatal(err)
	}
	id := res.DocumentID
	h.exec(`delete from river_job where (args->>'document_id')::bigint = $1`, id)
	h.exec(`update documents set state = 'unclassified', state_message = 'Sidorna liknar ingen känd blankett.' where id = $1`, id)

	// A pipeline that works jobs, behind the same server.
	working := pipelinetest.Working(t, h.pool, h.blob)
	cfg := h.cfg
	cfg.Reviewing, cfg.Ingester, cfg.Letters = working, working, working
	h.server = review.NewServer(cfg)

	c := h.client()
	c.login("rita")
	_, body := c.do("GET", fmt.Sprintf("/documents/%d", id), nil, nil)
	m := regexp.MustCompile(`<option value="(9445/[^"]+)">`).FindStringSubmatch(body)
	if !strings.Contains(body, `id="classify"`) || !strings.Contains(body, "Läs som vald blankett") || m == nil {
		t.Fatalf("the unclassified document offers no 9445 edition to pick\n%s", body)
	}
	edition := strings.ReplaceAll(m[1], "&#43;", "+")
	if resp, _ := c.do("POST", fmt.Sprintf("/documents/%d/classify", id), url.Values{"edition": {edition}}, nil); resp.StatusCode != 303 {
		t.Fatalf("classify as %s: %d", edition, resp.StatusCode)
	}

	doc := pipelinetest.Settled(t, h.pool, id)
	if doc.State != form.StateNeedsReview || doc.Kind != form.Kind9445 || "9445/"+doc.Edition != edition {
		t.Fatalf("after classifying: %s, %s %q", doc.State, doc.Kind, doc.Edition)
	}
	var want, read int
	var wrong []string
	for name, f := range truth.Documents[0].Fields {
		if f.Value == "" || f.Type == form.TypeCheckbox || f.Type == form.TypeSignature {
			continue
		}
		want++
		if got := doc.Fields[name].Value; got == f.Value {
			read++
		} else {
			wrong = append(wrong, fmt.Sprintf("%s: %q, want %q", name, got, f.Value))
		}
	}
	if want == 0 || read < want {
		t.Errorf("%d of %d filled fields read as written after classifying by hand: %v", read, want, wrong)
	}
	_, body = c.do("GET", fmt.Sprintf("/documents/%d", id), nil, nil)
	if strings.Contains(body, `id="classify"`) || !strings.Contains(body, `id="fields-title"`) {
		t.Error("the document's page after classifying still asks for the form, or shows no fields")
	}
	var audited int
	if err := h.pool.QueryRow(ctx, `select count(*) from audit_events where action = 'document.classified' and actor = 'rita' and document_id = $1`, id).Scan(&audited); err != nil || audited != 1 {
		t.Fatalf("classifying audited %d times (%v)", audited, err)
	}
}
