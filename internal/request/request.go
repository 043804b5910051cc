// Package request carries who is asking, and in which language, through a request's
// context, for the web pages and the JSON API alike.
package request

import (
	"context"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
)

// Info is what the server learned about a request before its handler runs.
type Info struct {
	Actor   *birge.Actor // nil when nobody is signed in
	Lang    string
	P       *i18n.Printer
	Session string // the session cookie's token, for signing out
	IP      string
}

type key struct{}

// With returns ctx carrying info.
func With(ctx context.Context, info *Info) context.Context {
	return context.WithValue(ctx, key{}, info)
}

// From returns the request's Info; outside the server it returns an anonymous English one.
func From(ctx context.Context) *Info {
	if info, ok := ctx.Value(key{}).(*Info); ok {
		return info
	}
	return &Info{Lang: "en", P: i18n.For("en")}
}
