package storage

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"blankett/form"
)

// Personal data at rest. Personnummer are sealed with AES-256-GCM before
// they reach PostgreSQL: in the registry's *_enc columns, and in the
// documents', extractions' and corrections' values of personnummer fields.
// Next to each sealed number a keyed hash (HMAC-SHA-256 under a key derived
// separately from the same data key) lets the registry and the subject
// access export find a person without decrypting every row.
//
// A sealed value is: version (1 byte) | key id (4 bytes) | nonce (12 bytes)
// | ciphertext and tag. The key id names the data key that sealed it, so
// keys can rotate: the first key of a Cipher seals, every key opens, and
// lookups try the hash under every key.
//
// The Cipher is an explicit part of the database handle (DB, and Tx for a
// transaction): every Querier carries it, so a function that seals or
// opens personal data cannot be handed a connection without one.

var (
	// ErrNoCipher is returned when personal data must be sealed or opened
	// on a connection opened without a data key.
	ErrNoCipher = errors.New("no data key: personal data cannot be sealed or opened (set BLANKETT_DATA_KEY or BLANKETT_DATA_KEY_FILE)")
	// ErrDecrypt is returned when a sealed value cannot be opened: it was
	// sealed under a key this process does not have, or was altered.
	ErrDecrypt = errors.New("personal data cannot be decrypted: wrong data key or altered value")
)

// DataKeySize is the size of a data key in bytes (AES-256).
const DataKeySize = 32

const (
	sealVersion  = 1
	keyIDSize    = 4
	nonceSize    = 12
	sealedPrefix = "enc:" // marks a sealed value in a JSON string
)

type dataKey struct {
	id   [keyIDSize]byte
	aead cipher.AEAD
	mac  []byte // HMAC key for lookups
}

// Cipher seals and opens personal data and computes its lookup hashes.
type Cipher struct {
	keys []dataKey // keys[0] seals
}

// NewCipher makes a cipher from 32-byte data keys: the first seals, all
// open (older keys after a rotation).
func NewCipher(keys ...[]byte) (*Cipher, error) {
	if len(keys) == 0 {
		return nil, errors.New("new cipher: no data key")
	}
	c := &Cipher{}
	for i, k := range keys {
		if len(k) != DataKeySize {
			return nil, fmt.Errorf("new cipher: data key %d is %d bytes, want %d", i+1, len(k), DataKeySize)
		}
		enc, err := hkdf.Key(sha256.New, k, nil, "blankett personnummer aes-256-gcm v1", 32)
		if err != nil {
			return nil, fmt.Errorf("new cipher: derive encryption key: %w", err)
		}
		mac, err := hkdf.Key(sha256.New, k, nil, "blankett personnummer lookup hmac-sha-256 v1", 32)
		if err != nil {
			return nil, fmt.Errorf("new cipher: derive lookup key: %w", err)
		}
		id, err := hkdf.Key(sha256.New, k, nil, "blankett data key id v1", keyIDSize)
		if err != nil {
			return nil, fmt.Errorf("new cipher: derive key id: %w", err)
		}
		block, err := aes.NewCipher(enc)
		if err != nil {
			return nil, fmt.Errorf("new cipher: %w", err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("new cipher: %w", err)
		}
		dk := dataKey{aead: aead, mac: mac}
		copy(dk.id[:], id)
		c.keys = append(c.keys, dk)
	}
	return c, nil
}

// ParseDataKeys reads data keys written as standard base64, one per line
// or separated by commas (lines starting with # are comments); the first
// is the current key, the others only open what they sealed before a
// rotation.
func ParseDataKeys(s string) (*Cipher, error) {
	var keys [][]byte
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for _, f := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || unicode.IsSpace(r) }) {
			k, err := base64.StdEncoding.DecodeString(f)
			if err != nil {
				// The key itself is never part of an error message.
				return nil, fmt.Errorf("data key %d: not standard base64", len(keys)+1)
			}
			keys = append(keys, k)
		}
	}
	return NewCipher(keys...)
}

// KeyID is the current data key's id (hex), for logs and the key file's
// comments: it identifies the key without revealing it.
func (c *Cipher) KeyID() string { return fmt.Sprintf("%x", c.keys[0].id) }

// Seal encrypts plaintext under the current key with a fresh random nonce.
func (c *Cipher) Seal(plaintext []byte) []byte {
	k := c.keys[0]
	out := make([]byte, 1+keyIDSize+nonceSize, 1+keyIDSize+nonceSize+len(plaintext)+k.aead.Overhead())
	out[0] = sealVersion
	copy(out[1:], k.id[:])
	nonce := out[1+keyIDSize:]
	if _, err := rand.Read(nonce); err != nil {
		panic(fmt.Sprintf("storage: random nonce: %v", err)) // crypto/rand does not fail on supported systems
	}
	return k.aead.Seal(out, nonce, plaintext, out[:1+keyIDSize])
}

// Open decrypts what Seal made, with whichever key sealed it.
func (c *Cipher) Open(sealed []byte) ([]byte, error) {
	if len(sealed) < 1+keyIDSize+nonceSize || sealed[0] != sealVersion {
		return nil, fmt.Errorf("%w: not a sealed value", ErrDecrypt)
	}
	for _, k := range c.keys {
		if string(k.id[:]) != string(sealed[1:1+keyIDSize]) {
			continue
		}
		nonce := sealed[1+keyIDSize : 1+keyIDSize+nonceSize]
		p, err := k.aead.Open(nil, nonce, sealed[1+keyIDSize+nonceSize:], sealed[:1+keyIDSize])
		if err != nil {
			return nil, fmt.Errorf("%w (key %x)", ErrDecrypt, k.id)
		}
		return p, nil
	}
	return nil, fmt.Errorf("%w: sealed under key %x, which is not configured", ErrDecrypt, sealed[1:1+keyIDSize])
}

// Hash is the lookup hash of a personnummer (12 digits) under the current
// key.
func (c *Cipher) Hash(pnr string) []byte { return c.keys[0].hash(pnr) }

// Hashes are the lookup hashes of a personnummer under every key: a lookup
// matches any of them, so rows written before a key rotation are found.
func (c *Cipher) Hashes(pnr string) [][]byte {
	out := make([][]byte, len(c.keys))
	for i, k := range c.keys {
		out[i] = k.hash(pnr)
	}
	return out
}

func (k dataKey) hash(pnr string) []byte {
	m := hmac.New(sha256.New, k.mac)
	m.Write([]byte(pnr))
	return m.Sum(nil)
}

// HashPrefix is a short, non-reversible label of a person for the audit
// log: the first six bytes of the lookup hash, in hex. Where those twelve
// hex digits are all decimal (one label in some three hundred) they would
// read as a personnummer, in the log and to a scan for personal data: the
// label then takes a byte more until it holds a letter.
func (c *Cipher) HashPrefix(pnr string) string {
	h := c.Hash(pnr)
	n := 6
	for n < len(h) && strings.Trim(fmt.Sprintf("%x", h[:n]), "0123456789") == "" {
		n++
	}
	return fmt.Sprintf("%x", h[:n])
}

// sealString seals s for a JSON string or text column ("" stays "").
func (c *Cipher) sealString(s string) string {
	if s == "" {
		return ""
	}
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(c.Seal([]byte(s)))
}

// openString opens what sealString made. A value without the prefix was
// written before encryption and is returned as it is.
func (c *Cipher) openString(s string) (string, error) {
	if !strings.HasPrefix(s, sealedPrefix) {
		return s, nil
	}
	if c == nil {
		return "", ErrNoCipher
	}
	b, err := base64.RawStdEncoding.DecodeString(strings.TrimPrefix(s, sealedPrefix))
	if err != nil {
		return "", fmt.Errorf("%w: not a sealed value", ErrDecrypt)
	}
	p, err := c.Open(b)
	if err != nil {
		return "", err
	}
	return string(p), nil
}

// --- personnummer in documents' fields ---------------------------------------

// isPersonnummerField says whether a field holds a personnummer: by its
// type, whatever an edition calls it. A value without a type (a
// correction of a field no edition has) is searched as free text
// (holdsPersonalNumber).
func isPersonnummerField(v form.Value) bool { return v.Type == form.TypePersonnummer }

// sealFields returns a copy of fields with the Value and Raw of every
// personnummer field sealed, and the lookup hashes of the personnummer
// found (for documents.person_hashes). Without personnummer fields it
// needs no cipher.
func sealFields(c *Cipher, fields form.Fields) (form.Fields, [][]byte, error) {
	if fields == nil {
		return nil, nil, nil
	}
	out := make(form.Fields, len(fields))
	hashes := [][]byte{}
	seen := map[string]bool{}
	for name, v := range fields {
		if !holdsPersonalNumber(v) || (v.Value == "" && v.Raw == "") {
			out[name] = v
			continue
		}
		if c == nil {
			return nil, nil, fmt.Errorf("seal field %s: %w", name, ErrNoCipher)
		}
		for _, s := range []string{v.Value, v.Raw} {
			found := []string{}
			if isPersonnummerField(v) {
				if pnr, ok := canonicalPersonnummer(s); ok {
					found = append(found, pnr)
				}
			} else {
				_, found = personnummerIn(s, time.Time{}) // free text
			}
			for _, pnr := range found {
				if !seen[pnr] {
					seen[pnr] = true
					hashes = append(hashes, c.Hash(pnr))
				}
			}
		}
		v.Value, v.Raw = c.sealString(v.Value), c.sealString(v.Raw)
		out[name] = v
	}
	return out, hashes, nil
}

// openFields opens, in place, the personnummer fields sealFields sealed.
func openFields(c *Cipher, fields form.Fields) error {
	for name, v := range fields {
		if !strings.HasPrefix(v.Value, sealedPrefix) && !strings.HasPrefix(v.Raw, sealedPrefix) {
			continue
		}
		var err error
		if v.Value, err = c.openString(v.Value); err != nil {
			return fmt.Errorf("open field %s: %w", name, err)
		}
		if v.Raw, err = c.openString(v.Raw); err != nil {
			return fmt.Errorf("open field %s: %w", name, err)
		}
		fields[name] = v
	}
	return nil
}

// canonicalPersonnummer is the 12-digit form of a personnummer or
// samordningsnummer as written, when it is one.
func canonicalPersonnummer(s string) (string, bool) {
	if strings.TrimSpace(s) == "" {
		return "", false
	}
	// Values are normalised when written (12 digits for a personnummer that
	// parses); twelve digits that fail the check are still what was written
	// about someone: hash them as written, so the export finds them too.
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	return digits, len(digits) == 12
}

// sealedPnr seals a registry personnummer: the ciphertext and the lookup
// hash for the *_enc and *_hash columns.
func sealedPnr(c *Cipher, pnr string) (enc, hash []byte, err error) {
	if c == nil {
		return nil, nil, ErrNoCipher
	}
	return c.Seal([]byte(pnr)), c.Hash(pnr), nil
}

// openPnr opens a registry personnummer column ("" for null).
func openPnr(c *Cipher, enc []byte) (string, error) {
	if enc == nil {
		return "", nil
	}
	if c == nil {
		return "", ErrNoCipher
	}
	p, err := c.Open(enc)
	if err != nil {
		return "", err
	}
	return string(p), nil
}

// pnrHashes are the lookup hashes of pnr under every key, for "= any($n)".
func pnrHashes(c *Cipher, pnr string) ([][]byte, error) {
	if c == nil {
		return nil, ErrNoCipher
	}
	return c.Hashes(pnr), nil
}

// maskPnr is a personnummer as the audit log may show it: the birth date
// only ("" stays "").
func maskPnr(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return form.MaskPersonnummer(s)
}
