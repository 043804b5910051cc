package xlsx

import (
	"fmt"
	"io"
	"strings"
)

// guard counts the bytes unpacked through it against the workbook's limit, so a zip
// bomb stops there whatever sizes the zip declares. It also measures each piece that
// encoding/xml holds whole in memory before returning it — a tag (whose attributes take
// many times their bytes), a run of text, a CDATA section, a comment, a processing
// instruction — and stops at maxRun, before the parser has taken the memory.
//
// To measure them it must split the bytes exactly as the parser does. A '<' does not
// always start a tag: inside CDATA and comments it is text, so an earlier version that
// reset its count at every '<' let a 195 KB upload become one 204 MB cell. Here the
// markup is followed state by state; a document type declaration, which workbooks never
// have and whose nesting would need a parser of its own, is refused outright.
type guard struct {
	r     io.Reader
	left  *int64
	state int
	quote byte    // the quote that ends the attribute value being read
	mark  []byte  // the bytes after "<!", until they tell CDATA from a comment
	last  [2]byte // the two bytes before, for the ends "-->", "]]>" and "?>"
	run   int     // bytes of the current piece
}

const (
	inText     = iota
	inOpen     // just after '<'
	inBang     // after "<!"
	inTag      // a start or end tag
	inQuoted   // an attribute value
	inComment  // <!-- … -->
	inCDATA    // <![CDATA[ … ]]>
	inProcInst // <? … ?>
)

// maxRun bounds one piece: a cell holds at most 32767 characters, which take at most
// about 200 KB once escaped.
const maxRun = 1 << 20

func (g *guard) Read(p []byte) (int, error) {
	if *g.left <= 0 {
		// At the limit: a part that ends exactly here is fine, one more byte is not.
		if n, _ := g.r.Read(make([]byte, 1)); n > 0 {
			return 0, ErrTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > *g.left {
		p = p[:*g.left]
	}
	n, err := g.r.Read(p)
	*g.left -= int64(n)
	for _, c := range p[:n] {
		if e := g.step(c); e != nil {
			return 0, e
		}
	}
	if g.run > maxRun {
		return 0, ErrTooLarge
	}
	return n, err
}

// step follows the markup by one byte, as encoding/xml reads it.
func (g *guard) step(c byte) error {
	g.run++
	prev := g.last // the two bytes before c, as the parser keeps them
	g.last = [2]byte{g.last[1], c}
	switch g.state {
	case inText:
		if c == '<' {
			g.state, g.run = inOpen, 1
		}
	case inOpen:
		switch c {
		case '!':
			g.state, g.mark = inBang, g.mark[:0]
		case '?':
			g.enter(inProcInst)
		default:
			g.state = inTag
		}
	case inBang:
		g.mark = append(g.mark, c)
		switch m := string(g.mark); {
		case m == "--":
			g.enter(inComment)
		case m == "[CDATA[":
			g.enter(inCDATA)
		case !strings.HasPrefix("--", m) && !strings.HasPrefix("[CDATA[", m):
			return fmt.Errorf("%w: a document type declaration", ErrNotXLSX)
		}
	case inTag:
		switch c {
		case '"', '\'':
			g.state, g.quote = inQuoted, c
		case '>':
			g.state, g.run = inText, 0
		}
	case inQuoted:
		if c == g.quote {
			g.state = inTag
		}
	case inComment:
		g.end(c, prev == [2]byte{'-', '-'})
	case inCDATA:
		g.end(c, prev == [2]byte{']', ']'})
	case inProcInst:
		g.end(c, prev[1] == '?')
	}
	return nil
}

// enter starts a piece that ends with a sequence; the bytes that opened it are not part
// of that sequence, as for the parser ("<!-->" does not end the comment it opens).
func (g *guard) enter(state int) {
	g.state, g.last = state, [2]byte{0, 0}
}

func (g *guard) end(c byte, endsAfter bool) {
	if c == '>' && endsAfter {
		g.state, g.run = inText, 0
	}
}
