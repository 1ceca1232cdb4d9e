import CoAP
import DTLS

/// Where a client's datagrams go: to one of the note's platforms running in-process at the
/// note's address (180.101.147.115:5683 CT IoT, 221.229.214.202:5683 CT AEP,
/// lwm.home.komect.com:5683 Andlink, bootstrap and working server in one), or out to the real
/// network by UDP, which the owner does. Remap rules bend an address to another first.
///
/// Contract: `route` applies at most one remap rule, then picks the platform at the result or
/// calls it external. Whatever a platform sends a client is addressed as coming from the address
/// that client last sent it to (the name before any remap), so the client's CoAP endpoint
/// matches it. Each platform also speaks DTLS on its secure address (its port + 1: 5684 beside
/// 5683); what it seals leaves from there, shown as the address the client used for it.
/// Nothing here touches a socket or a clock.
public struct EmbeddedNetwork: Sendable {
    public enum Route: Hashable, Sendable {
        /// Served in-process by the platform at `address`.
        case embedded(PlatformProfile, at: PeerAddress)
        /// Served in-process over DTLS by the platform at `address` (on its secure address).
        case embeddedSecure(PlatformProfile, at: PeerAddress)
        /// Not ours: the owner sends it by UDP to this address.
        case external(PeerAddress)
    }

    /// Bytes going from one address to another.
    public struct Transmission: Hashable, Sendable {
        public var from: PeerAddress
        public var to: PeerAddress
        public var bytes: [UInt8]

        public init(from: PeerAddress, to: PeerAddress, bytes: [UInt8]) {
            self.from = from
            self.to = to
            self.bytes = bytes
        }

        /// The datagram as the receiving node takes it (its peer is the sender).
        public var received: Datagram { Datagram(bytes, peer: from) }
    }

    public enum Delivery: Hashable, Sendable {
        /// A platform took it; these go back to clients now.
        case handled([Transmission])
        /// For the real network: send these bytes to `to` by UDP.
        case external(Transmission)
    }

    public private(set) var platforms: [PeerAddress: EmbeddedPlatform] = [:]
    public private(set) var remaps: [PeerAddress: PeerAddress] = [:]
    /// The address each client last used for each platform, so replies carry it.
    private var aliases: [ClientAndPlatform: PeerAddress] = [:]
    /// What the per-step questions (deadline, new log lines, routing) need of each platform,
    /// noted whenever one changes: reading a platform out of `platforms` copies all of it.
    private var deadlines: [PeerAddress: Instant] = [:]
    private var logged: Set<PeerAddress> = []
    private var profiles: [PeerAddress: PlatformProfile] = [:]
    /// The platform's address, by its secure address.
    private var secureAddresses: [PeerAddress: PeerAddress] = [:]
    /// Sealed datagrams a platform made in the change under way, for `outgoing`.
    private var sealed: [PeerAddress: [Datagram]] = [:]

    private struct ClientAndPlatform: Hashable, Sendable {
        var client: PeerAddress
        var platform: PeerAddress
        var secure = false
    }

    /// The given profiles at their note addresses (generic has none and is skipped). Andlink's
    /// bootstrap hands out `andlinkLifetime` seconds.
    public init(profiles: [PlatformProfile] = [.ctIoT, .ctAEP, .andlink], remaps: [AddressRemap] = [],
                andlinkLifetime: Int64 = 300, keys: [PreSharedKey] = []) {
        for (index, profile) in profiles.enumerated() {
            guard let address = profile.noteAddress else { continue }
            add(EmbeddedPlatform(profile: profile, address: address, seed: 0x504C_4154 &+ UInt64(index),
                                 andlinkLifetime: andlinkLifetime, keys: keys))
        }
        for r in remaps { remap(r) }
    }

    /// Puts `platform` at its address, replacing whatever was there.
    public mutating func add(_ platform: EmbeddedPlatform) {
        let address = Self.normalized(platform.address)
        platforms[address] = platform
        profiles[address] = platform.profile
        secureAddresses[Self.normalized(platform.secureAddress)] = address
        _ = change(at: address) { _ in }
    }

    /// Makes the platform at `address` (its CoAP address) accept `psk`, as its portal would.
    public mutating func provision(_ psk: PreSharedKey, at address: PeerAddress, now: Instant) {
        _ = change(at: Self.normalized(address)) { $0.provision(psk, now: now) }
    }

    public mutating func remap(_ rule: AddressRemap) { remaps[rule.from] = rule.to }

    public func platform(at address: PeerAddress) -> EmbeddedPlatform? { platforms[Self.normalized(address)] }

    /// The address of the platform playing `profile`, if one is here.
    public func address(of profile: PlatformProfile) -> PeerAddress? {
        platforms.values.first { $0.profile == profile }?.address
    }

    public func route(_ destination: PeerAddress) -> Route {
        let target = remaps[Self.normalized(destination)] ?? Self.normalized(destination)
        if let profile = profiles[target] { return .embedded(profile, at: target) }
        if let platform = secureAddresses[target], let profile = profiles[platform] { return .embeddedSecure(profile, at: platform) }
        return .external(target)
    }

    /// How an external arrival from `remote` is shown to clients: the address a remap rule bent
    /// to `remote` (the first by address order when several did), else `remote` itself.
    public func originalAddress(of remote: PeerAddress) -> PeerAddress {
        let r = Self.normalized(remote)
        return remaps.filter { $0.value == r }.keys.sorted { $0.description < $1.description }.first ?? remote
    }

    // MARK: traffic

    /// A client at `source` sends `datagram` (its peer is the destination) at `now`.
    public mutating func send(_ datagram: Datagram, from source: PeerAddress, now: Instant) -> Delivery {
        switch route(datagram.peer) {
        case .external(let to):
            return .external(Transmission(from: source, to: to, bytes: datagram.bytes))
        case .embedded(_, let at):
            aliases[ClientAndPlatform(client: source, platform: at)] = datagram.peer
            guard let out = change(at: at, { $0.receive(Datagram(datagram.bytes, peer: source), now: now) }) else {
                return .handled([])
            }
            return .handled(outgoing(out, from: at))
        case .embeddedSecure(_, let at):
            aliases[ClientAndPlatform(client: source, platform: at, secure: true)] = datagram.peer
            guard let out = change(at: at, { $0.receiveSecure(Datagram(datagram.bytes, peer: source), now: now) }) else {
                return .handled([])
            }
            return .handled(outgoing(out, from: at))
        }
    }

    /// The earliest deadline of any platform.
    public var nextDeadline: Instant? { deadlines.values.min() }

    /// Runs every platform whose deadline has come; returns what they send clients.
    public mutating func advance(to now: Instant) -> [Transmission] {
        var sent: [Transmission] = []
        for address in platforms.keys.sorted(by: { $0.description < $1.description }) {
            guard let d = deadlines[address], d <= now, let out = change(at: address, { $0.advance(to: now) }) else { continue }
            sent += outgoing(out, from: address)
        }
        return sent
    }

    /// Runs `body` on the platform playing `profile` (a console line, a downlink) and returns
    /// its result with what it sends; nil when no such platform is here.
    public mutating func withPlatform<Result>(_ profile: PlatformProfile,
                                              _ body: (inout EmbeddedPlatform) -> (Result, [Datagram])) -> (Result, [Transmission])? {
        guard let address = profiles.first(where: { $0.value == profile })?.key,
              let (result, out) = change(at: address, body) else { return nil }
        return (result, outgoing(out, from: address))
    }

    /// A console line for the platform playing `profile`.
    public mutating func perform(_ command: PlatformCommand, on profile: PlatformProfile,
                                 now: Instant) -> (reply: PlatformReply, sent: [Transmission])? {
        withPlatform(profile) { p in
            let reply = p.perform(command, now: now)
            return (reply, reply.datagrams)
        }
    }

    /// The log lines no one took yet, of every platform, with the platform's profile.
    public mutating func takeLines() -> [(profile: PlatformProfile, line: PlatformLine)] {
        var all: [(PlatformProfile, PlatformLine)] = []
        // Asked after every step of the emulator: most steps log nothing.
        let pending = logged
        logged = []
        for address in pending {
            guard let profile = profiles[address], let lines = change(at: address, { $0.takeLines() }) else { continue }
            all += lines.map { (profile, $0) }
        }
        return all.sorted { ($0.1.at, $0.0.rawValue, $0.1.sequence) < ($1.1.at, $1.0.rawValue, $1.1.sequence) }
    }

    /// Runs `body` on the platform at `address` in place (a copy written back would share the
    /// platform's storage and copy all of it on its first change), then notes its deadline and
    /// whether it logged. Nil when no platform is there.
    private mutating func change<Result>(at address: PeerAddress, _ body: (inout EmbeddedPlatform) -> Result) -> Result? {
        guard let (result, deadline, hasLines, secure) = platforms[address]?.changed(by: body) else { return nil }
        if !secure.isEmpty { sealed[address, default: []] += secure }
        deadlines[address] = deadline
        if hasLines { logged.insert(address) } else { logged.remove(address) }
        return result
    }

    /// `datagrams` from the platform's CoAP port, then what it sealed meanwhile from its secure
    /// port, each shown as coming from the address the client used.
    private mutating func outgoing(_ datagrams: [Datagram], from platform: PeerAddress) -> [Transmission] {
        var out = datagrams.map { d in
            let shownAs = aliases[ClientAndPlatform(client: d.peer, platform: platform)] ?? platform
            return Transmission(from: shownAs, to: d.peer, bytes: d.bytes)
        }
        if let secure = sealed.removeValue(forKey: platform) {
            let secureAddress = platforms[platform]?.secureAddress ?? platform
            out += secure.map { d in
                let shownAs = aliases[ClientAndPlatform(client: d.peer, platform: platform, secure: true)] ?? secureAddress
                return Transmission(from: shownAs, to: d.peer, bytes: d.bytes)
            }
        }
        return out
    }

    /// Hosts compared without regard to case.
    static func normalized(_ a: PeerAddress) -> PeerAddress { PeerAddress(host: a.host.lowercased(), port: a.port) }
}

extension EmbeddedPlatform {
    /// `body`'s result with what ``EmbeddedNetwork`` notes after a change, read in the same access.
    fileprivate mutating func changed<Result>(by body: (inout Self) -> Result) -> (Result, Instant?, Bool, [Datagram]) {
        let result = body(&self)
        return (result, nextDeadline, hasUntakenLines, hasSecureDatagrams ? takeSecureDatagrams() : [])
    }
}
