package api

import (
	"net/http"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/peoplefile"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// ExportPeople answers GET /api/v1/people/export: the list as filtered by the same
// parameters as GET /api/v1/people, as a file, format=csv (the default) or xlsx.
func (a *API) ExportPeople(w http.ResponseWriter, r *http.Request) error {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "csv"
	}
	return a.WritePeopleFile(w, r, format)
}

// WritePeopleFile streams the people list, filtered by the query's parameters, as a CSV
// or XLSX file in the user's language, with what the user may see: identity numbers
// masked, sensitive categories only with person.sensitive. The people page's download
// buttons use it too. Rows go out as they are read, so the largest export takes little
// memory; nothing is written before the store has checked the right and audited the
// export, so a refusal is still a clean error page or problem document.
func (a *API) WritePeopleFile(w http.ResponseWriter, r *http.Request, format string) error {
	mediaType, ok := peoplefile.Formats[format]
	if !ok {
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"format": "field.choose"}}
	}
	f, err := PeopleFilter(r.URL.Query())
	if err != nil {
		return err
	}
	f.Cursor = "" // the whole list, whatever page the user was on
	info := request.From(r.Context())
	centers, err := a.store.ListCenters(r.Context(), info.Actor, store.CenterFilter{})
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, c := range centers {
		names[c.ID] = c.Names.In(info.Lang)
	}
	cats, err := a.store.VisibleCategories(r.Context(), info.Actor)
	if err != nil {
		return err
	}
	var out peoplefile.RowWriter
	start := func() error { // on the first row, or at the end when there is none
		if out != nil {
			return nil
		}
		h := w.Header()
		h.Set("Content-Type", mediaType)
		h.Set("Content-Disposition", `attachment; filename="people-`+actor(r).Today(a.store.Now()).Format(time.DateOnly)+`.`+format+`"`)
		out = peoplefile.NewWriter(format, w, info.P.T("person.export_sheet"))
		return out.WriteRow(peoplefile.ExportHeader(info.P))
	}
	_, err = a.store.People.Export(r.Context(), info.Actor, f, format, func(p birge.Person) error {
		if err := start(); err != nil {
			return err
		}
		return out.WriteRow(peoplefile.ExportRow(info.P, names, cats, p))
	})
	if err != nil {
		return err
	}
	if err := start(); err != nil {
		return err
	}
	return out.Close()
}
