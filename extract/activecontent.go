package extract

import (
	"bytes"
	"sort"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Active content a PDF may carry, and what people are told about it.
var (
	activeJavaScript = "JavaScript"
	activeLaunch     = "en åtgärd som startar ett program (Launch)"
	activeSubmit     = "en åtgärd som skickar eller hämtar formulärdata"
	activeRemote     = "en länk som öppnar en annan fil"
	activeEmbedded   = "inbäddade filer"
	activeRichMedia  = "multimedia eller bifogade filer i anteckningar"
)

// activeActions maps an action's /S to what it is.
var activeActions = map[string]string{
	"JavaScript":       activeJavaScript,
	"Launch":           activeLaunch,
	"SubmitForm":       activeSubmit,
	"ImportData":       activeSubmit,
	"GoToR":            activeRemote,
	"GoToE":            activeRemote,
	"RichMediaExecute": activeRichMedia,
}

// activeContent looks for active content in the PDF: in its raw bytes (the
// plain spellings, even in objects the parser skipped) and in every object
// of the parsed cross-reference table, which holds the objects of object
// streams decoded and names with #xx escapes resolved (/J#61vaScript is
// /JavaScript). It returns what it found, in Swedish, or "".
func activeContent(data []byte, pctx *model.Context) string {
	for _, token := range []string{"/JavaScript", "/Launch"} {
		if bytes.Contains(data, []byte(token)) {
			return activeActions[token[1:]]
		}
	}
	nums := make([]int, 0, len(pctx.XRefTable.Table))
	for n := range pctx.XRefTable.Table {
		nums = append(nums, n)
	}
	sort.Ints(nums) // the same file always gives the same reason
	for _, n := range nums {
		e := pctx.XRefTable.Table[n]
		if e == nil || e.Free || e.Object == nil {
			continue
		}
		if what := activeIn(e.Object, 0); what != "" {
			return what
		}
	}
	if pctx.XRefTable.Names["JavaScript"] != nil {
		return activeJavaScript
	}
	if pctx.XRefTable.Names["EmbeddedFiles"] != nil {
		return activeEmbedded
	}
	return ""
}

// maxObjectDepth bounds the walk through nested direct objects.
const maxObjectDepth = 64

// activeIn walks one object's direct content (indirect references are
// table entries of their own, walked in turn).
func activeIn(o types.Object, depth int) string {
	if depth > maxObjectDepth {
		return ""
	}
	switch v := o.(type) {
	case types.Dict:
		return activeInDict(v, depth)
	case *types.Dict:
		if v != nil {
			return activeInDict(*v, depth)
		}
	case types.StreamDict:
		return activeInDict(v.Dict, depth)
	case *types.StreamDict:
		if v != nil {
			return activeInDict(v.Dict, depth)
		}
	case types.ObjectStreamDict:
		return activeInDict(v.Dict, depth)
	case *types.ObjectStreamDict:
		if v != nil {
			return activeInDict(v.Dict, depth)
		}
	case types.XRefStreamDict:
		return activeInDict(v.Dict, depth)
	case *types.XRefStreamDict:
		if v != nil {
			return activeInDict(v.Dict, depth)
		}
	case types.Array:
		for _, e := range v {
			if what := activeIn(e, depth+1); what != "" {
				return what
			}
		}
	}
	return ""
}

func activeInDict(d types.Dict, depth int) string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, raw := range keys {
		v := d[raw]
		switch k := decodedName(raw); k {
		case "JS", "JavaScript":
			return activeJavaScript
		case "EmbeddedFiles", "EF":
			return activeEmbedded
		case "RichMediaContent", "RichMediaSettings":
			return activeRichMedia
		case "S":
			if what, ok := activeActions[nameValue(v)]; ok {
				return what
			}
		case "Type":
			if nameValue(v) == "EmbeddedFile" {
				return activeEmbedded
			}
		case "Subtype":
			switch nameValue(v) {
			case "RichMedia", "FileAttachment":
				return activeRichMedia
			case "JavaScript":
				return activeJavaScript
			}
		}
		if what := activeIn(v, depth+1); what != "" {
			return what
		}
	}
	return ""
}

// nameValue is the decoded name an object holds, or "".
func nameValue(o types.Object) string {
	switch v := o.(type) {
	case types.Name:
		return decodedName(string(v))
	case *types.Name:
		if v != nil {
			return decodedName(string(*v))
		}
	}
	return ""
}

// decodedName resolves #xx escapes in a name; pdfcpu's parser resolves
// them in values, not always in dictionary keys.
func decodedName(s string) string {
	if !bytes.ContainsRune([]byte(s), '#') {
		return s
	}
	d, err := types.DecodeName(s)
	if err != nil {
		return s
	}
	return d
}
