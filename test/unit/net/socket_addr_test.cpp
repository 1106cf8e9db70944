// tokio::net::SocketAddr and the IP address types: parse/display round trips against
// what Rust's std::net prints, rejects, ordering, hashing, and the sockaddr conversion.
#include <tokio/fmt.hpp>
#include <tokio/net/socket_addr.hpp>

#include "tokio/net/sockaddr.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

namespace {

using tokio::net::AddrParseError;
using tokio::net::IpAddr;
using tokio::net::Ipv4Addr;
using tokio::net::Ipv6Addr;
using tokio::net::SocketAddr;
using tokio::net::SocketAddrV4;
using tokio::net::SocketAddrV6;

struct RoundTrip {
  const char* input;
  const char* printed;  // what Rust's Display prints for the parsed value
};

TEST(SocketAddrTest, ParseAndDisplaySocketAddrs) {
  const RoundTrip cases[] = {
      {"127.0.0.1:8080", "127.0.0.1:8080"},
      {"0.0.0.0:0", "0.0.0.0:0"},
      {"255.255.255.255:65535", "255.255.255.255:65535"},
      {"1.2.3.4:00080", "1.2.3.4:80"},  // Rust accepts leading zeros in ports
      {"[::1]:12345", "[::1]:12345"},
      {"[::]:1", "[::]:1"},
      {"[2001:db8::1]:443", "[2001:db8::1]:443"},
      {"[2001:0DB8:0000:0000:0000:0000:0000:0001]:443", "[2001:db8::1]:443"},
      {"[fe80::1%2]:80", "[fe80::1%2]:80"},
      {"[fe80::1%0]:80", "[fe80::1]:80"},
      {"[::ffff:192.0.2.1]:7", "[::ffff:192.0.2.1]:7"},
      {"[1:0:0:2:0:0:0:3]:9", "[1:0:0:2::3]:9"},
      {"[1:0:0:2:0:0:3:4]:9", "[1::2:0:0:3:4]:9"},  // first of two equal runs
      {"[1:2:3:4:5:6:7:0]:9", "[1:2:3:4:5:6:7:0]:9"},  // a single zero is not compressed
      {"[1:2:3:4:5:6::]:9", "[1:2:3:4:5:6::]:9"},
  };
  for (const auto& c : cases) {
    auto parsed = SocketAddr::parse(c.input);
    ASSERT_TRUE(parsed.is_ok()) << c.input;
    const SocketAddr addr = parsed.unwrap();
    EXPECT_EQ(addr.to_string(), c.printed) << c.input;
    std::ostringstream os;
    os << addr;
    EXPECT_EQ(os.str(), c.printed);
    EXPECT_EQ(fmt::format("{}", addr), c.printed);
    // What is printed parses back to the same value.
    EXPECT_EQ(SocketAddr::parse(addr.to_string()).unwrap(), addr) << c.input;
  }
}

TEST(SocketAddrTest, ParseAndDisplayIpAddrs) {
  const RoundTrip cases[] = {
      {"10.0.0.1", "10.0.0.1"},
      {"::", "::"},
      {"::1", "::1"},
      {"1::", "1::"},
      {"::2:3", "::2:3"},
      {"::0.0.0.2", "::2"},  // Rust prints compatible addresses in hex
      {"::ffff:1.2.3.4", "::ffff:1.2.3.4"},
      {"64:ff9b::1.2.3.4", "64:ff9b::102:304"},
      {"ff02::1", "ff02::1"},
      {"abcd:ef01:2345:6789:abcd:ef01:2345:6789", "abcd:ef01:2345:6789:abcd:ef01:2345:6789"},
  };
  for (const auto& c : cases) {
    auto parsed = IpAddr::parse(c.input);
    ASSERT_TRUE(parsed.is_ok()) << c.input;
    EXPECT_EQ(parsed.unwrap().to_string(), c.printed) << c.input;
    EXPECT_EQ(IpAddr::parse(parsed.unwrap().to_string()).unwrap(), parsed.unwrap());
  }
}

TEST(SocketAddrTest, RejectsJunk) {
  const char* bad_sockets[] = {
      "",          "127.0.0.1",        "127.0.0.1:",      "127.0.0.1:65536", "127.0.0.1:-1",
      ":80",       "256.0.0.1:80",     "1.2.3:80",        "1.2.3.4.5:80",    "01.2.3.4:80",
      "1.2.3.4:80 ", " 1.2.3.4:80",    "::1:80",          "[::1]",           "[::1]:",
      "[::1:80",   "::1]:80",          "[1.2.3.4]:80",    "[::1%]:80",       "[::1%x]:80",
      "[:::]:1",   "[1::2::3]:1",      "[12345::]:1",     "[1:2:3:4:5:6:7:8:9]:1", "[1::2:3:4:5:6:7:8]:1",
      "localhost:80", "1.2.3.4:8a",
  };
  for (const char* text : bad_sockets) {
    auto r = SocketAddr::parse(text);
    ASSERT_TRUE(r.is_err()) << '"' << text << "\" parsed as " << r.unwrap();
    std::ostringstream os;
    os << r.unwrap_err();
    EXPECT_EQ(os.str(), "invalid socket address syntax");
    EXPECT_EQ(fmt::format("{}", r.unwrap_err()), "invalid socket address syntax");
  }
  const char* bad_ips[] = {"", "1.2.3", "1.2.3.256", "1.2.3.04", "1..2.3", "1:2", ":::", "1:::2",
                           "g::1", "::1.2.3", "::1.2.3.4.5", "1.2.3.4:80", "[::1]", "12345::"};
  for (const char* text : bad_ips) {
    auto r = IpAddr::parse(text);
    ASSERT_TRUE(r.is_err()) << '"' << text << "\" parsed as " << r.unwrap();
    EXPECT_EQ(r.unwrap_err(), AddrParseError(AddrParseError::Kind::Ip));
    EXPECT_EQ(std::string(r.unwrap_err().description()), "invalid IP address syntax");
  }
  EXPECT_EQ(std::string(Ipv4Addr::parse("::1").unwrap_err().description()), "invalid IPv4 address syntax");
  EXPECT_EQ(std::string(Ipv6Addr::parse("1.2.3.4").unwrap_err().description()), "invalid IPv6 address syntax");
  EXPECT_EQ(std::string(SocketAddrV4::parse("[::1]:1").unwrap_err().description()),
            "invalid IPv4 socket address syntax");
  EXPECT_EQ(std::string(SocketAddrV6::parse("1.2.3.4:1").unwrap_err().description()),
            "invalid IPv6 socket address syntax");
}

TEST(SocketAddrTest, AccessorsAndConstructors) {
  SocketAddr a(Ipv4Addr::localhost(), 80);
  EXPECT_TRUE(a.is_ipv4());
  EXPECT_FALSE(a.is_ipv6());
  EXPECT_EQ(a.ip(), IpAddr(Ipv4Addr(127, 0, 0, 1)));
  EXPECT_EQ(a.port(), 80);
  a.set_port(81);
  EXPECT_EQ(a.to_string(), "127.0.0.1:81");
  ASSERT_NE(a.as_v4(), nullptr);
  EXPECT_EQ(a.as_v6(), nullptr);
  EXPECT_EQ(a.as_v4()->ip().octets(), (std::array<std::uint8_t, 4>{127, 0, 0, 1}));
  a.set_ip(Ipv6Addr::localhost());
  EXPECT_TRUE(a.is_ipv6());
  EXPECT_EQ(a.to_string(), "[::1]:81");

  SocketAddr b(IpAddr(Ipv6Addr(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)), 9);
  EXPECT_EQ(b, SocketAddr::parse("[2001:db8::1]:9").unwrap());
  EXPECT_EQ(SocketAddr(), SocketAddr::parse("0.0.0.0:0").unwrap());

  EXPECT_EQ(Ipv4Addr::from_bits(0x7f000001), Ipv4Addr::localhost());
  EXPECT_EQ(Ipv4Addr::localhost().to_bits(), 0x7f000001u);
  EXPECT_EQ(Ipv4Addr::broadcast().to_string(), "255.255.255.255");
  EXPECT_EQ(Ipv4Addr(1, 2, 3, 4).to_ipv6_mapped().to_string(), "::ffff:1.2.3.4");
  EXPECT_EQ(Ipv4Addr(1, 2, 3, 4).to_ipv6_mapped().to_ipv4_mapped(), Ipv4Addr(1, 2, 3, 4));
  EXPECT_EQ(Ipv4Addr(1, 2, 3, 4).to_ipv6_compatible().to_ipv4(), Ipv4Addr(1, 2, 3, 4));
  EXPECT_EQ(Ipv4Addr(1, 2, 3, 4).to_ipv6_compatible().to_ipv4_mapped(), std::nullopt);
  EXPECT_EQ(Ipv6Addr::localhost().segments()[7], 1);
}

TEST(SocketAddrTest, Predicates) {
  EXPECT_TRUE(Ipv4Addr::localhost().is_loopback());
  EXPECT_TRUE(Ipv4Addr(127, 8, 9, 10).is_loopback());
  EXPECT_FALSE(Ipv4Addr(128, 0, 0, 1).is_loopback());
  EXPECT_TRUE(Ipv4Addr::unspecified().is_unspecified());
  EXPECT_TRUE(Ipv4Addr(224, 0, 0, 1).is_multicast());
  EXPECT_TRUE(Ipv4Addr(239, 255, 255, 255).is_multicast());
  EXPECT_FALSE(Ipv4Addr(240, 0, 0, 1).is_multicast());
  EXPECT_TRUE(Ipv4Addr::broadcast().is_broadcast());
  EXPECT_TRUE(Ipv4Addr(172, 16, 0, 1).is_private());
  EXPECT_FALSE(Ipv4Addr(172, 32, 0, 1).is_private());
  EXPECT_TRUE(Ipv4Addr(169, 254, 1, 1).is_link_local());
  EXPECT_TRUE(Ipv6Addr::localhost().is_loopback());
  EXPECT_TRUE(Ipv6Addr::unspecified().is_unspecified());
  EXPECT_TRUE(Ipv6Addr::parse("ff02::1").unwrap().is_multicast());
  EXPECT_FALSE(Ipv6Addr::parse("fe80::1").unwrap().is_multicast());
  EXPECT_TRUE(IpAddr(Ipv6Addr::localhost()).is_loopback());
  EXPECT_TRUE(IpAddr(Ipv4Addr::unspecified()).is_unspecified());
  EXPECT_TRUE(IpAddr::parse("224.1.1.1").unwrap().is_multicast());
}

TEST(SocketAddrTest, OrderingIsRusts) {
  // Rust's derived Ord: V4 before V6; then address, port (and flowinfo, scope id).
  std::vector<SocketAddr> sorted = {
      SocketAddr::parse("1.2.3.4:1").unwrap(),       SocketAddr::parse("1.2.3.4:2").unwrap(),
      SocketAddr::parse("1.2.3.5:0").unwrap(),       SocketAddr::parse("9.0.0.0:0").unwrap(),
      SocketAddr::parse("10.0.0.0:0").unwrap(),      SocketAddr::parse("[::]:5").unwrap(),
      SocketAddr::parse("[::1]:1").unwrap(),         SocketAddr::parse("[::1%3]:1").unwrap(),
      SocketAddr::parse("[::1]:2").unwrap(),         SocketAddr::parse("[ff::]:0").unwrap(),
  };
  auto shuffled = sorted;
  std::reverse(shuffled.begin(), shuffled.end());
  std::swap(shuffled[2], shuffled[7]);
  std::sort(shuffled.begin(), shuffled.end());
  EXPECT_EQ(shuffled, sorted);
  for (std::size_t i = 0; i + 1 < sorted.size(); ++i) {
    EXPECT_LT(sorted[i], sorted[i + 1]) << sorted[i] << " vs " << sorted[i + 1];
    EXPECT_NE(sorted[i], sorted[i + 1]);
  }
  EXPECT_LT(IpAddr(Ipv4Addr::broadcast()), IpAddr(Ipv6Addr::unspecified()));
  EXPECT_LT(Ipv4Addr(9, 255, 255, 255), Ipv4Addr(10, 0, 0, 0));
}

TEST(SocketAddrTest, HashingInUnorderedSet) {
  std::unordered_set<SocketAddr> set;
  const char* texts[] = {"127.0.0.1:1", "127.0.0.1:2", "127.0.0.2:1", "[::1]:1", "[::1%1]:1", "[::ffff:127.0.0.1]:1"};
  for (const char* t : texts) EXPECT_TRUE(set.insert(SocketAddr::parse(t).unwrap()).second) << t;
  for (const char* t : texts) EXPECT_FALSE(set.insert(SocketAddr::parse(t).unwrap()).second) << t;
  EXPECT_EQ(set.size(), std::size(texts));
  EXPECT_EQ(set.count(SocketAddr(Ipv4Addr::localhost(), 2)), 1u);
  std::unordered_set<IpAddr> ips{IpAddr(Ipv4Addr::localhost()), IpAddr(Ipv6Addr::localhost())};
  EXPECT_EQ(ips.size(), 2u);
  EXPECT_EQ(std::hash<SocketAddr>{}(SocketAddr::parse("[::1]:7").unwrap()),
            std::hash<SocketAddr>{}(SocketAddr(Ipv6Addr::localhost(), 7)));
}

TEST(SocketAddrTest, SockaddrRoundTrip) {
  const char* texts[] = {"127.0.0.1:8080", "0.0.0.0:0", "[::1]:443", "[fe80::1%2]:80", "[2001:db8::5]:65535"};
  for (const char* t : texts) {
    const SocketAddr addr = SocketAddr::parse(t).unwrap();
    sockaddr_storage storage;
    const socklen_t len = tokio::net::to_sockaddr(addr, storage);
    EXPECT_EQ(len, addr.is_ipv4() ? sizeof(sockaddr_in) : sizeof(sockaddr_in6));
    EXPECT_EQ(storage.ss_family, addr.is_ipv4() ? AF_INET : AF_INET6);
    EXPECT_EQ(tokio::net::from_sockaddr(storage, len), addr) << t;
  }
  // The port is in network order in the structure.
  sockaddr_storage storage;
  tokio::net::to_sockaddr(SocketAddr(Ipv4Addr::localhost(), 0x1234), storage);
  EXPECT_EQ(reinterpret_cast<const sockaddr_in*>(&storage)->sin_port, htons(0x1234));
}

}  // namespace
