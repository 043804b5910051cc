package store

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// TimelineEvent is one thing recorded about a person, cut to what the viewer may see.
type TimelineEvent struct {
	At    time.Time `json:"at"`
	Kind  string    `json:"kind"`  // what happened: create, update, consent, relation, reveal_id, …
	Actor string    `json:"actor"` // who recorded it
	// Fields are the fields an update changed, by name only: an old address or phone of
	// a woman who moved away from an abuser is as dangerous as the new one, so values
	// stay in the audit log, for those who may read it.
	Fields   []string        `json:"fields,omitempty"`
	Purpose  string          `json:"purpose,omitempty"`  // the consent given or withdrawn
	Relation *birge.Relation `json:"relation,omitempty"` // the link made or undone; OtherID 0 when out of sight
	// Cursor continues the timeline after this event: pass it as PersonTimeline's before.
	Cursor string `json:"cursor"`
	source string
	pos    int64 // the event's position in its source, newest highest
}

// timelineSource is what one module recorded about people. events returns the events
// about person p, newest first, before position before (0: from the newest), at most
// limit, already cut to what the actor may see, each with its position in the source.
//
// The timeline merges its sources by time, so each module that records something about
// a person — cases, trainings, grants as they arrive — adds one source to
// timelineSources (modules.go) and nothing else changes.
type timelineSource struct {
	name   string
	events func(s *Store, ctx context.Context, a *birge.Actor, p personRow, before int64, limit int) ([]TimelineEvent, error)
}

// MaxTimelinePage bounds a page of a person's timeline.
const MaxTimelinePage = 100

// PersonTimeline returns what was recorded about a person the actor may see, newest
// first: limit events from the newest when before is "", else after the event whose
// Cursor it is.
func (people *People) Timeline(ctx context.Context, a *birge.Actor, personID int64, before string, limit int) ([]TimelineEvent, error) {
	p, err := people.visiblePerson(ctx, people.s.read(), a, personID)
	if err != nil {
		return nil, err
	}
	pos, ok := decodeTimelineCursor(before)
	if !ok {
		return nil, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"before": "api.cursor"}}
	}
	if limit <= 0 || limit > MaxTimelinePage {
		limit = 20
	}
	heads := make([][]TimelineEvent, len(timelineSources))
	for i, src := range timelineSources {
		if heads[i], err = src.events(people.s, ctx, a, p, pos[src.name], limit); err != nil {
			return nil, err
		}
	}
	// Take the newest of the sources' next events each time, so that every source is read
	// in its own order and the cursor can say, per source, where the page ended.
	var out []TimelineEvent
	for len(out) < limit {
		next := -1
		for i, h := range heads {
			if len(h) > 0 && (next < 0 || h[0].At.After(heads[next][0].At)) {
				next = i
			}
		}
		if next < 0 {
			break
		}
		e := heads[next][0]
		heads[next] = heads[next][1:]
		pos[e.source] = e.pos
		e.Cursor = encodeTimelineCursor(pos)
		out = append(out, e)
	}
	return out, nil
}

// A timeline cursor is each source's position, as "audit:1234" joined by commas.
func encodeTimelineCursor(pos map[string]int64) string {
	var parts []string
	for _, src := range timelineSources {
		if p, ok := pos[src.name]; ok {
			parts = append(parts, src.name+":"+strconv.FormatInt(p, 10))
		}
	}
	return strings.Join(parts, ",")
}

func decodeTimelineCursor(c string) (map[string]int64, bool) {
	pos := map[string]int64{}
	if c == "" {
		return pos, true
	}
	for part := range strings.SplitSeq(c, ",") {
		name, num, _ := strings.Cut(part, ":")
		p, err := strconv.ParseInt(num, 10, 64)
		known := slices.ContainsFunc(timelineSources, func(s timelineSource) bool { return s.name == name })
		if err != nil || p <= 0 || !known {
			return nil, false
		}
		pos[name] = p
	}
	return pos, true
}

// auditTimelineQuery reads a page of the audit entries about a person, newest first:
// a range of the index on (entity, entity_id, seq) (migration 0007).
const auditTimelineQuery = `SELECT seq, at, actor, action, changes FROM audit_log
	WHERE entity = 'person' AND entity_id = ? AND seq < ? ORDER BY seq DESC LIMIT `

// auditTimeline reads the audit entries about her: her record's history, consents,
// relations and reveals of her identity number. Entries with nothing the actor may see
// are read past, batch after batch, so that a page is full whenever more is to be shown.
func (s *Store) auditTimeline(ctx context.Context, a *birge.Actor, p personRow, before int64, limit int) ([]TimelineEvent, error) {
	sensitive := a.Can(birge.PermPersonSensitive, p.OrgID, p.CenterID)
	if before == 0 {
		before = math.MaxInt64
	}
	var out []TimelineEvent
	for len(out) < limit {
		rows, err := s.read().query(ctx, auditTimelineQuery+itoa(limit), p.ID, before)
		if err != nil {
			return nil, err
		}
		var batch []TimelineEvent
		var changes []string
		for rows.Next() {
			e := TimelineEvent{source: "audit"}
			var ch string
			if err := rows.Scan(&e.pos, &e.At, &e.Actor, &e.Kind, &ch); err != nil {
				rows.Close()
				return nil, err
			}
			e.At = e.At.UTC()
			batch, changes = append(batch, e), append(changes, ch)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for i := range batch {
			e := &batch[i]
			before = e.pos
			shown, err := s.People.auditEvent(ctx, a, e, changes[i], sensitive)
			if err != nil {
				return nil, err
			}
			if shown {
				out = append(out, *e)
			}
		}
		if len(batch) < limit {
			break
		}
	}
	return out, nil
}

// auditEvent fills in what an audit entry may show and reports whether it is shown at
// all. Only the actions listed here appear: what a new kind of entry may tell is decided
// when it is added, not by default.
func (people *People) auditEvent(ctx context.Context, a *birge.Actor, e *TimelineEvent, raw string, sensitive bool) (bool, error) {
	changes := map[string]birge.Change{}
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &changes); err != nil {
			return false, err
		}
	}
	if err := people.resolveSensitiveMark(changes); err != nil {
		return false, err
	}
	value := func(field string) any {
		if c := changes[field]; c.After != nil {
			return c.After
		}
		return changes[field].Before
	}
	switch e.Kind {
	case "create", "import", "reveal_id", "merge", "unmerge", "not_duplicate", "export_dossier":
		return true, nil
	case "update":
		for f := range changes {
			// Without person.sensitive, not even that a sensitive category changed.
			if f != sensitiveField || sensitive {
				e.Fields = append(e.Fields, f)
			}
		}
		slices.Sort(e.Fields)
		return len(e.Fields) > 0, nil
	case "consent", "consent_withdrawn":
		e.Purpose, _ = value("purpose").(string)
		return true, nil
	case "relation", "relation_removed":
		other, _ := value("other_id").(float64) // a JSON number
		kind, _ := value("kind").(string)
		rel, err := people.nameRelative(ctx, a, birge.Relation{OtherID: int64(other), Kind: kind})
		e.Relation = &rel
		return true, err
	}
	return false, nil
}
