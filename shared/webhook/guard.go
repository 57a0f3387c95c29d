package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"syscall"
	"time"
)

// MaxURL is the longest endpoint URL.
const MaxURL = 2000

// Guard keeps deliveries to the public internet (SSRF): an endpoint's URL must be HTTPS
// on a host whose addresses are all public, checked when it is registered and again on
// every connection, so a name that later resolves to a private address (DNS
// rebinding) is refused too. AllowPrivate lifts both checks, and allows plain HTTP, for
// the local server's loopback receivers only: a deployed stack never sets it.
type Guard struct {
	AllowPrivate bool
	// Resolver looks names up when an endpoint is registered; nil means net's default.
	Resolver interface {
		LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
	}
}

// errPrivate says an address is not on the public internet.
var errPrivate = errors.New("resolves to a private, loopback or otherwise internal address, which deliveries never reach")

// public reports whether a is a unicast address on the public internet.
func public(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsValid() || a.IsLoopback() || a.IsPrivate() || a.IsUnspecified() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() {
		return false
	}
	for _, p := range internalPrefixes {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// internalPrefixes are ranges that are neither private nor loopback by netip's tests but
// are not the public internet either.
var internalPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // this network
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and broadcast
	netip.MustParsePrefix("64:ff9b::/96"),    // NAT64: may reach an internal IPv4 address
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
}

// CheckURL refuses an endpoint URL deliveries must not go to, with the reason.
func (g *Guard) CheckURL(ctx context.Context, raw string) error {
	if len(raw) > MaxURL {
		return fmt.Errorf("must be at most %d characters", MaxURL)
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || u.Opaque != "":
		return errors.New("must be an absolute URL such as https://erp.example.com/provisio")
	case u.User != nil:
		return errors.New("must not carry a user name or password: authenticate the deliveries by their signature")
	case u.Fragment != "":
		return errors.New("must not have a fragment")
	case u.Scheme != "https" && !(g.AllowPrivate && u.Scheme == "http"):
		return errors.New("must be https")
	}
	if g.AllowPrivate {
		return nil
	}
	host := u.Hostname()
	if a, err := netip.ParseAddr(host); err == nil {
		if !public(a) {
			return errPrivate
		}
		return nil
	}
	var resolver interface {
		LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
	} = net.DefaultResolver
	if g.Resolver != nil {
		resolver = g.Resolver
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	addrs, err := resolver.LookupNetIP(ctx, "ip", host)
	if err != nil || len(addrs) == 0 {
		return fmt.Errorf("has a host name, %s, that does not resolve", host)
	}
	for _, a := range addrs {
		if !public(a) {
			return errPrivate
		}
	}
	return nil
}

// Dialer is the delivery client's dialer: it refuses a connection to an address that is
// not public, whatever name led to it.
func (g *Guard) Dialer() *net.Dialer {
	d := &net.Dialer{Timeout: 5 * time.Second}
	if !g.AllowPrivate {
		d.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || !public(ap.Addr()) {
				return fmt.Errorf("%s %w", address, errPrivate)
			}
			return nil
		}
	}
	return d
}
