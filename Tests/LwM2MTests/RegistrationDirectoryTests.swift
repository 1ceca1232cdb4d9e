import CoAP
import Testing
@testable import LwM2M

@Suite struct RegistrationDirectoryTests {
    let peer = PeerAddress(host: "10.0.0.2", port: 56830)
    let links = #"</>;rt="oma.lwm2m",</1/0>,</3/0>,</19/0>"#

    func register(_ dir: inout RegistrationDirectory, query: [String], at t: Int64 = 0,
                  payload: String? = nil) -> (Message, [RegistrationDirectory.Event]) {
        var m = Message.request(.post, token: Token([1, 2]) ?? .empty, path: ["rd"], query: query,
                                contentFormat: 40, payload: Array((payload ?? links).utf8))
        m.messageID = 77
        return dir.handle(m, from: peer, now: Instant(milliseconds: t))
    }

    @Test func registerAnswersCreatedWithLocationPath() throws {
        var dir = RegistrationDirectory()
        let (response, events) = register(&dir, query: ["ep=863", "lt=300", "lwm2m=1.0", "b=UQ"])
        #expect(response.code == .created)
        #expect(response.type == .acknowledgement && response.messageID == 77)
        #expect(response.locationPath == ["rd", "1"])
        guard case .registered(let r) = events.first else { Issue.record("no event"); return }
        #expect(r.endpoint == "863" && r.lifetime == 300 && r.binding == "UQ" && r.isQueueMode)
        #expect(LinkFormat.encode(r.objectLinks) == links && r.peer == peer)
        #expect(r.objectPaths == [LwM2MPath(1, 0), LwM2MPath(3, 0), LwM2MPath(19, 0)])
        #expect(dir.nextDeadline == Instant(milliseconds: 300_000))
    }

    @Test func defaultsApplyWhenOptionalParametersAreMissing() {
        var dir = RegistrationDirectory()
        _ = register(&dir, query: ["ep=a"])
        let r = dir.registration(endpoint: "a")
        #expect(r?.lifetime == 86_400 && r?.binding == "U" && r?.lwm2mVersion == "1.0")
    }

    @Test(arguments: [
        (["lt=300"], Code.badRequest), (["ep="], .badRequest), (["ep=a", "lt=0"], .badRequest),
        (["ep=a", "lt=x"], .badRequest), (["ep=a", "lt"], .badRequest), (["ep=a", "b=X"], .badRequest),
        (["ep=a", "lwm2m=2.0"], .preconditionFailed),
    ])
    func badRegistersAreRefused(query: [String], code: Code) {
        var dir = RegistrationDirectory()
        let (response, events) = register(&dir, query: query)
        #expect(response.code == code)
        #expect(dir.registrations.isEmpty)
        guard case .rejected(let c, _, _) = events.first else { Issue.record("no rejection"); return }
        #expect(c == code)
    }

    @Test func anAlternateRootPathIsStrippedFromObjectPaths() {
        var dir = RegistrationDirectory()
        _ = register(&dir, query: ["ep=a"], payload: #"</lwm2m>;rt="oma.lwm2m",</lwm2m/3/0>,</lwm2m/19>;ver=1.0"#)
        #expect(dir.registration(endpoint: "a")?.objectPaths == [LwM2MPath(3, 0), LwM2MPath(19)])
    }

    @Test func malformedLinksAreRefused() {
        var dir = RegistrationDirectory()
        #expect(register(&dir, query: ["ep=a"], payload: "</3/0").0.code == .badRequest)
    }

    @Test func nonUTF8PayloadIsRefused() {
        var dir = RegistrationDirectory()
        var m = Message.request(.post, token: .empty, path: ["rd"], query: ["ep=a"], payload: [0xFF, 0xFE])
        m.messageID = 1
        #expect(dir.handle(m, from: peer, now: .zero).response.code == .badRequest)
    }

    @Test func updateRefreshesLifetimeBindingLinksAndPeer() {
        var dir = RegistrationDirectory()
        _ = register(&dir, query: ["ep=a", "lt=60"])
        let moved = PeerAddress(host: "10.0.0.3", port: 1)
        var u = Message.request(.post, token: .empty, path: ["rd", "1"], query: ["lt=120", "b=UQ"],
                                payload: Array("</3/0>".utf8))
        u.messageID = 2
        let (response, events) = dir.handle(u, from: moved, now: Instant(milliseconds: 50_000))
        #expect(response.code == .changed)
        guard case .updated(let r) = events.first else { Issue.record("no update"); return }
        #expect(r.lifetime == 120 && r.binding == "UQ" && r.objectPaths == [LwM2MPath(3, 0)] && r.peer == moved)
        #expect(dir.nextDeadline == Instant(milliseconds: 170_000))
    }

    @Test func updateWithoutParametersKeepsEverything() {
        var dir = RegistrationDirectory()
        _ = register(&dir, query: ["ep=a", "lt=60", "b=UQ"])
        let u = Message.request(.post, token: .empty, path: ["rd", "1"])
        _ = dir.handle(u, from: peer, now: Instant(milliseconds: 10_000))
        let r = dir.registrations["1"]
        #expect(r?.lifetime == 60 && r?.binding == "UQ" && r.map { LinkFormat.encode($0.objectLinks) } == links)
    }

    @Test func updateOrDeleteOfUnknownIdIsNotFound() {
        var dir = RegistrationDirectory()
        #expect(dir.handle(.request(.post, token: .empty, path: ["rd", "9"]), from: peer, now: .zero).response.code == .notFound)
        #expect(dir.handle(.request(.delete, token: .empty, path: ["rd", "9"]), from: peer, now: .zero).response.code == .notFound)
        #expect(dir.handle(.request(.get, token: .empty, path: ["rd", "9"]), from: peer, now: .zero).response.code == .methodNotAllowed)
        #expect(dir.handle(.request(.post, token: .empty, path: ["rd", "1", "x"]), from: peer, now: .zero).response.code == .notFound)
    }

    @Test func deregisterRemovesAndAnswersDeleted() {
        var dir = RegistrationDirectory()
        _ = register(&dir, query: ["ep=a"])
        let (response, events) = dir.handle(.request(.delete, token: .empty, path: ["rd", "1"]), from: peer, now: .zero)
        #expect(response.code == .deleted)
        #expect(events.count == 1)
        if case .deregistered(let r) = events.first { #expect(r.endpoint == "a") } else { Issue.record("no event") }
        #expect(dir.registrations.isEmpty && dir.nextDeadline == nil)
    }

    @Test func lifetimeExpiresExactlyInVirtualTime() {
        var dir = RegistrationDirectory()
        _ = register(&dir, query: ["ep=a", "lt=30"], at: 1_000)
        #expect(dir.advance(to: Instant(milliseconds: 30_999)).isEmpty)
        let events = dir.advance(to: Instant(milliseconds: 31_000))
        #expect(events.count == 1)
        if case .expired(let r) = events.first { #expect(r.endpoint == "a") } else { Issue.record("not expired") }
        #expect(dir.registrations.isEmpty)
        // An Update after expiry finds nothing.
        #expect(dir.handle(.request(.post, token: .empty, path: ["rd", "1"]), from: peer, now: Instant(milliseconds: 32_000)).response.code == .notFound)
    }

    @Test func registeringTheSameEndpointAgainReplacesTheOldRegistration() {
        var dir = RegistrationDirectory()
        _ = register(&dir, query: ["ep=a"])
        let (response, events) = register(&dir, query: ["ep=a"], at: 5)
        #expect(response.locationPath == ["rd", "2"])
        guard case .reregistered(let new, let old) = events.first else { Issue.record("no event"); return }
        #expect(new.id == "2" && old.id == "1")
        #expect(dir.registrations.keys.sorted() == ["2"])
    }

    /// Many clients with mixed lifetimes, some updated: each lapses exactly at its own expiry,
    /// in order, and `nextDeadline` always names the earliest live one.
    @Test func manyRegistrationsExpireExactlyAndInOrder() {
        var dir = RegistrationDirectory()
        var expected: [String: Int64] = [:]
        for k in 0..<500 {
            let lifetime = 20 + (k * 37) % 400
            _ = register(&dir, query: ["ep=c\(k)", "lt=\(lifetime)"], at: Int64(k))
            expected["c\(k)"] = Int64(k) + Int64(lifetime) * 1000
        }
        for k in stride(from: 0, to: 500, by: 3) {
            let id = dir.registration(endpoint: "c\(k)")!.id
            var m = Message.request(.post, token: Token([9]) ?? .empty, path: ["rd", id], query: [])
            m.messageID = 1
            _ = dir.handle(m, from: peer, now: Instant(milliseconds: 10_000))
            expected["c\(k)"] = 10_000 + (expected["c\(k)"]! - Int64(k))
        }
        var lapsed: [(String, Int64)] = []
        while let t = dir.nextDeadline {
            #expect(t.milliseconds == expected.values.min())
            for case .expired(let r) in dir.advance(to: t) {
                lapsed.append((r.endpoint, t.milliseconds))
                expected[r.endpoint] = nil
            }
        }
        #expect(lapsed.count == 500 && expected.isEmpty && dir.registrations.isEmpty)
        #expect(lapsed.map(\.1) == lapsed.map(\.1).sorted())
    }
}
