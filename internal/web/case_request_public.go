package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/request"
)

// The public request form, "Ask for a consultation" (issue 11, decision 0028): no
// account, in the visitor's language, with the quick-exit control of the public layout.
// It asks nothing it does not need, keeps what it is sent sealed, and weighs little, for
// a phone on a slow network: no script of its own, no images.

// requestTrap is the form's hidden field: people never see it, robots fill it in.
const requestTrap = "website"

// requestForm shows the offices that offer the form, or the form for the office chosen.
func (s *Server) requestForm(w http.ResponseWriter, r *http.Request) error {
	id, _ := strconv.ParseInt(r.URL.Query().Get("center"), 10, 64)
	if id == 0 {
		return s.requestOffices(w, r)
	}
	f := newForm()
	f.Values["center_id"] = strconv.FormatInt(id, 10)
	f.Values["contact"] = birge.ContactCall
	return s.renderRequest(w, r, http.StatusOK, f, nil)
}

// requestOffices lists the offices that offer the form, each with a link to it.
func (s *Server) requestOffices(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	offices, err := s.store.CaseRequests.Offices(r.Context())
	if err != nil {
		return err
	}
	type place struct {
		Center birge.Center
		Region string
	}
	list := make([]place, len(offices))
	for i, c := range offices {
		list[i] = place{Center: c, Region: regionName(c.Region, info.Lang)}
	}
	i18n.Sort(info.P, list, func(p place) string { return p.Center.Names.In(info.Lang) })
	return s.render(w, r, http.StatusOK, "public/request_offices", nil, list)
}

func (s *Server) renderRequest(w http.ResponseWriter, r *http.Request, status int, f *form, chosen []string) error {
	info := request.From(r.Context())
	id, _ := strconv.ParseInt(f.get("center_id"), 10, 64)
	ctr, reasons, err := s.store.CaseRequests.Office(r.Context(), id)
	if err != nil {
		return err
	}
	type reason struct {
		Code, Name string
		Checked    bool
	}
	var list []reason
	for _, k := range reasons {
		if !k.Retired {
			list = append(list, reason{k.Code, k.Names.In(info.Lang), slices.Contains(chosen, k.Code)})
		}
	}
	return s.render(w, r, status, "public/request", f, map[string]any{"Center": ctr,
		"Region": regionName(ctr.Region, info.Lang), "Reasons": list, "Trap": requestTrap})
}

// requestSend saves a request and sends her to a page that says nothing about it. The
// body is bounded by parseForm; the address is throttled by the store.
func (s *Server) requestSend(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	info := request.From(r.Context())
	id, _ := strconv.ParseInt(f.get("center_id"), 10, 64)
	req := birge.CaseRequest{CenterID: id, Lang: info.Lang, Name: f.get("name"), Phone: f.get("phone"),
		Contact: f.get("contact"), CallTimes: f.get("call_times"), MayLeaveMessage: f.get("may_leave_message") != "",
		Reasons: r.PostForm["reasons"], Message: f.get("message")}
	err = s.store.CaseRequests.Submit(r.Context(), info.IP, req, f.get(requestTrap) != "")
	if err != nil {
		if _, _, oerr := s.store.CaseRequests.Office(r.Context(), id); oerr != nil {
			return oerr // no such office: nothing to draw the form for
		}
		if f.fail(err) {
			return s.renderRequest(w, r, http.StatusUnprocessableEntity, f, req.Reasons)
		}
		return err
	}
	// Her choice of contact, and nothing else, goes to the thanks page, so that it can say
	// what happens next; the trap's silent success says the same.
	return redirect(w, r, "/request/sent?contact="+url.QueryEscape(req.Contact), "")
}

// requestSent thanks her without a word that could give her away to someone looking
// over her shoulder, and reminds her of the quick exit.
// It says what happens next, as she chose (never when: no office can promise a time), and
// whom to call if she is in danger now.
func (s *Server) requestSent(w http.ResponseWriter, r *http.Request) error {
	next := "request.next"
	switch r.URL.Query().Get("contact") {
	case birge.ContactCall:
		next = "request.next_call"
	case birge.ContactNone:
		next = "request.next_none"
	}
	return s.render(w, r, http.StatusOK, "public/request_sent", nil, map[string]any{"Next": next})
}
