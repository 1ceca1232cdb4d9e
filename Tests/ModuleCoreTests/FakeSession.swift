import ATProtocol
import CoAP
import LwM2M
@testable import ModuleCore

/// TEST DOUBLE for the LwM2M session: it does nothing on its own. It records every request the
/// engine issues; the test decides what the "network" answers by injecting ``SessionEvent``s
/// by hand (see ``ModuleBench/event(_:)``).
struct FakeSession {
    private(set) var requests: [SessionRequest] = []

    mutating func record(_ new: [SessionRequest]) { requests += new }

    var last: SessionRequest? { requests.last }

    /// The last request whose action matches.
    func last(_ matches: (SessionAction) -> Bool) -> SessionRequest? { requests.last { matches($0.action) } }

    var lastRegister: (id: SessionRequestID, configuration: SessionConfiguration)? {
        for request in requests.reversed() {
            if case .register(let configuration) = request.action { return (request.id, configuration) }
        }
        return nil
    }

    var lastUpdate: SessionRequest? { last { if case .update = $0 { true } else { false } } }
    var lastRespond: (id: SessionRequestID, response: ServerResponse)? {
        for request in requests.reversed() {
            if case .respond(let response) = request.action { return (request.id, response) }
        }
        return nil
    }
    var lastNotify: (id: SessionRequestID, notification: Notification)? {
        for request in requests.reversed() {
            if case .notify(let notification) = request.action { return (request.id, notification) }
        }
        return nil
    }
    var lastSend: (id: SessionRequestID, data: DataSend)? {
        for request in requests.reversed() {
            if case .send(let data) = request.action { return (request.id, data) }
        }
        return nil
    }

    func count(_ matches: (SessionAction) -> Bool) -> Int { requests.filter { matches($0.action) }.count }
}
