//! Who the client is, for the limits: the socket's peer address, or, when
//! that peer is a trusted proxy, the last address in `X-Forwarded-For` that
//! is not itself a trusted proxy. A client cannot choose its own identity
//! by sending the header straight to the demo.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderMap;

/// The client's address, as a request extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientIp(pub IpAddr);

/// One trusted proxy address or network (`10.0.0.0/8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Net {
    addr: IpAddr,
    prefix: u8,
}

impl Net {
    fn contains(&self, ip: IpAddr) -> bool {
        fn masked(bits: u128, width: u8, prefix: u8) -> u128 {
            let keep = u32::from(prefix.min(width));
            if keep == 0 {
                0
            } else {
                bits >> (u32::from(width) - keep)
            }
        }
        match (self.addr, ip.to_canonical()) {
            (IpAddr::V4(a), IpAddr::V4(b)) => {
                masked(u32::from(a).into(), 32, self.prefix)
                    == masked(u32::from(b).into(), 32, self.prefix)
            }
            (IpAddr::V6(a), IpAddr::V6(b)) => {
                masked(u128::from(a), 128, self.prefix) == masked(u128::from(b), 128, self.prefix)
            }
            _ => false,
        }
    }
}

/// The proxies whose `X-Forwarded-For` is believed; none by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Net>);

impl FromStr for TrustedProxies {
    type Err = String;

    /// A comma- or space-separated list of addresses and CIDR networks.
    fn from_str(s: &str) -> Result<Self, String> {
        s.split([',', ' '])
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (addr, prefix) = p.split_once('/').unwrap_or((p, ""));
                let addr: IpAddr = addr.parse().map_err(|e| format!("{p:?}: {e}"))?;
                let addr = addr.to_canonical();
                let width = if addr.is_ipv4() { 32 } else { 128 };
                let prefix = if prefix.is_empty() {
                    width
                } else {
                    prefix
                        .parse::<u8>()
                        .ok()
                        .filter(|n| *n <= width)
                        .ok_or(format!("{p:?}: bad prefix length"))?
                };
                Ok(Net { addr, prefix })
            })
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }
}

impl TrustedProxies {
    /// Whether `ip` is one of them.
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(ip))
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
        assert!("10.0.0.0/33".parse::<TrustedProxies>().is_err());
        assert!("nope".parse::<TrustedProxies>().is_err());
    }
}
