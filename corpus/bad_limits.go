package corpus

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
)

// wideTIFF is a multi-page 8-bit RGB TIFF (Deflate) of n white pages of
// w×h pixels: under the pixel limit, and compressed far below the
// decompression ratio's limit, but each page would take w×h×5 bytes to
// decode (RGBA and its grey copy).
func wideTIFF(n, w, h int) []byte {
	row := bytes.Repeat([]byte{0xff}, w*3)
	var pages [][]byte
	for p := 0; p < n; p++ {
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		for y := 0; y < h; y++ {
			zw.Write(row)
		}
		zw.Close()
		pages = append(pages, z.Bytes())
	}
	return tiffPages(pages, w, h, 8, 3, 2, 300)
}

// deepPNG is a w×h 16-bit RGBA PNG, white, written a row at a time: small
// on disk, w×h×8 bytes once decoded.
func deepPNG(w, h int) []byte {
	row := bytes.Repeat([]byte{0xff}, 1+w*8)
	row[0] = 0 // filter: none
	var idat bytes.Buffer
	zw := zlib.NewWriter(&idat)
	for y := 0; y < h; y++ {
		zw.Write(row)
	}
	zw.Close()
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&out, binary.BigEndian, uint32(len(data)))
		c := crc32.NewIEEE()
		c.Write([]byte(typ))
		c.Write(data)
		out.WriteString(typ)
		out.Write(data)
		binary.Write(&out, binary.BigEndian, c.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 16, 6 // 16 bits, RGBA
	chunk("IHDR", ihdr)
	chunk("IDAT", idat.Bytes())
	chunk("IEND", nil)
	return out.Bytes()
}

// tiffPages writes a little-endian multi-page TIFF of Deflate-compressed
// strips (one strip a page): bits a sample, samples a pixel, photometric
// interpretation (0 min-is-white, 2 RGB) and resolution.
func tiffPages(pages [][]byte, w, h, bits, samples, photometric, dpi int) []byte {
	le := binary.LittleEndian
	var buf bytes.Buffer
	buf.WriteString("II")
	binary.Write(&buf, le, uint16(42))
	binary.Write(&buf, le, uint32(8))
	const nEntries = 12
	ifdSize := 2 + nEntries*12 + 4 + 16 + 8 // entries, next offset, two RATIONALs, BitsPerSample values
	for p, data := range pages {
		ifd := buf.Len()
		ratOff := ifd + 2 + nEntries*12 + 4
		bpsOff := ratOff + 16
		dataOff := ifd + ifdSize
		next := uint32(0)
		if p < len(pages)-1 {
			next = uint32(dataOff + len(data))
		}
		bps := uint32(bits)
		if samples > 1 {
			bps = uint32(bpsOff)
		}
		entries := [][4]uint32{
			{256, 4, 1, uint32(w)},
			{257, 4, 1, uint32(h)},
			{258, 3, uint32(samples), bps},
			{259, 3, 1, 8}, // Deflate
			{262, 3, 1, uint32(photometric)},
			{273, 4, 1, uint32(dataOff)},
			{277, 3, 1, uint32(samples)},
			{278, 4, 1, uint32(h)},
			{279, 4, 1, uint32(len(data))},
			{282, 5, 1, uint32(ratOff)},
			{283, 5, 1, uint32(ratOff + 8)},
			{296, 3, 1, 2},
		}
		binary.Write(&buf, le, uint16(nEntries))
		for _, e := range entries {
			binary.Write(&buf, le, uint16(e[0]))
			binary.Write(&buf, le, uint16(e[1]))
			binary.Write(&buf, le, e[2])
			binary.Write(&buf, le, e[3])
		}
		binary.Write(&buf, le, next)
		for i := 0; i < 2; i++ {
			binary.Write(&buf, le, uint32(dpi))
			binary.Write(&buf, le, uint32(1))
		}
		for i := 0; i < 4; i++ {
			binary.Write(&buf, le, uint16(bits))
		}
		buf.Write(data)
	}
	return buf.Bytes()
}
