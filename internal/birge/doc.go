// Package birge is the domain at the centre of Birge: the types, validation rules and
// permission rules shared by every layer. It knows nothing of SQL or HTTP, so each rule
// lives here once and the store, the web pages and the API all apply the same one.
package birge
