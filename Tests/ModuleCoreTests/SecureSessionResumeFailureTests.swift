import CoAP
import DTLS
import LwM2M
import Testing
@testable import ModuleCore

/// Waking from deep sleep with security mode 0 when DTLS cannot start again: nothing goes to
/// the server in clear, and the resume ends in its failure result.
@Suite("Session: a DTLS resume that cannot start")
struct SecureSessionResumeFailureTests {
    @Test func nothingGoesInClearAfterAFailedResume() throws {
        let rig = try SecureSessionCloseTests.Rig()
        rig.registered()
        var session = rig.device.node.session
        let now = rig.network.now
        _ = session.perform(SessionRequest(id: SessionRequestID(900), action: .suspend), now: now)
        _ = session.takeEvents()
        // The key is gone by the time the module wakes: no DTLS session can start.
        session.configuration?.server.psk = nil
        let sent = session.perform(SessionRequest(id: SessionRequestID(901), action: .resume), now: now)
        #expect(sent.isEmpty, "sent on resume: \(sent.map(\.bytes))")
        #expect(session.takeEvents().contains(.outcome(SessionRequestID(901), .completed(.otherError))))
        // Nor later: timers, a notification, an Update.
        var later: [Datagram] = []
        var t = now
        for _ in 0..<50 {
            guard let due = session.nextDeadline else { break }
            t = max(t, due)
            later += session.advance(to: t)
        }
        later += session.advance(to: now + 600_000)
        later += session.perform(SessionRequest(id: SessionRequestID(902), action: .notify(Notification(
            observedPath: LwM2MPath(19, 0, 0), parts: [], confirmable: true))), now: now + 600_000)
        later += session.perform(SessionRequest(id: SessionRequestID(903), action: .update(lifetime: nil, binding: nil, rai: .none)),
                                 now: now + 600_000)
        let clear = later.filter { $0.peer == SecureSessionCloseTests.serverAddress && !(20...23).contains($0.bytes.first ?? 0) }
        #expect(clear.isEmpty, "in clear to the server: \(clear.count) datagrams")
        #expect(!session.takeDiagnostics().joined().contains("Zx9-k3y"))
    }
}
