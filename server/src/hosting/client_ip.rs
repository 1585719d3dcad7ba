//! Who the client is, for the limits: the socket's peer address, or, when
//! that peer is a trusted proxy, the last address in `X-Forwarded-For` that
//! is not itself a trusted proxy. A client cannot choose its own identity
//! by sending the header straight to the demo.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderMap;
use ipnet::{IpNet, Ipv4Net};

/// The client's address, as a request extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientIp(pub IpAddr);

/// The proxies whose `X-Forwarded-For` is believed; none by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl FromStr for TrustedProxies {
    type Err = String;

    /// A comma- or space-separated list of addresses and CIDR networks.
    fn from_str(s: &str) -> Result<Self, String> {
        s.split([',', ' '])
            .filter(|p| !p.is_empty())
            .map(|p| {
                let net = match p.parse::<IpNet>() {
                    Ok(net) => net,
                    Err(_) if !p.contains('/') => p
                        .parse::<IpAddr>()
                        .map(IpNet::from)
                        .map_err(|e| format!("{p:?}: {e}"))?,
                    Err(e) => return Err(format!("{p:?}: {e}")),
                };
                Ok(canonical(net))
            })
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }
}

/// An IPv4-mapped IPv6 network (`::ffff:10.0.0.0/104`) as the IPv4 one it
/// covers: peers are compared in their canonical form.
fn canonical(net: IpNet) -> IpNet {
    match net {
        IpNet::V6(v6) => match v6.addr().to_ipv4_mapped() {
            Some(v4) if v6.prefix_len() >= 96 => {
                Ipv4Net::new(v4, v6.prefix_len() - 96).map_or(net, IpNet::V4)
            }
            _ => net,
        },
        IpNet::V4(_) => net,
    }
}

impl TrustedProxies {
    /// Whether `ip` is one of them.
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(&ip))
    }

    /// The client behind `peer`, given the request's headers.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.contains(peer) {
            return peer;
        }
        // Each proxy appends the address it got the request from: walk back
        // from the nearest until an address we do not trust.
        let hops: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .map_while(|h| h.parse::<IpAddr>().ok())
            .map(|ip| ip.to_canonical())
            .collect();
        hops.iter()
            .rev()
            .find(|ip| !self.contains(**ip))
            .or(hops.first())
            .copied()
            .unwrap_or(peer)
    }

    /// The client of `req`: see [`TrustedProxies::client`]. Without a
    /// socket address (a router called in-process), the unspecified address.
    pub fn of(&self, req: &Request) -> ClientIp {
        let peer = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
        ClientIp(self.client(peer, req.headers()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xff(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", v.parse().expect("header"));
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client(ip("203.0.113.9"), &xff("1.2.3.4")),
            ip("203.0.113.9")
        );
        let trusted: TrustedProxies = "127.0.0.1, 10.0.0.0/8".parse().expect("list");
        assert_eq!(
            trusted.client(ip("127.0.0.1"), &xff("1.2.3.4")),
            ip("1.2.3.4")
        );
        // A spoofed first hop is passed over: the nearest untrusted one counts.
        assert_eq!(
            trusted.client(ip("10.1.2.3"), &xff("6.6.6.6, 1.2.3.4, 10.9.9.9")),
            ip("1.2.3.4")
        );
        assert_eq!(
            trusted.client(ip("127.0.0.1"), &HeaderMap::new()),
            ip("127.0.0.1")
        );
        assert_eq!(
            trusted.client(ip("::ffff:127.0.0.1"), &xff("1.2.3.4")),
            ip("1.2.3.4")
        );
        assert!(!trusted.contains(ip("11.0.0.1")));
        let mapped: TrustedProxies = "::ffff:10.0.0.0/104, 2001:db8::/32".parse().expect("list");
        assert!(mapped.contains(ip("10.200.0.1")));
        assert!(mapped.contains(ip("::ffff:10.200.0.1").to_canonical()));
        assert!(mapped.contains(ip("2001:db8::7")));
        assert!(!mapped.contains(ip("11.0.0.1")));
        assert!(!mapped.contains(ip("2001:db9::7")));
        assert!("10.0.0.0/33".parse::<TrustedProxies>().is_err());
        assert!("10.0.0.0/".parse::<TrustedProxies>().is_err());
        assert!("nope".parse::<TrustedProxies>().is_err());
    }
}
