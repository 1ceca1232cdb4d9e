import Testing
@testable import CoAP

/// Two endpoints back to back through `Pipe`: whole exchanges, and the module's retransmission
/// rule under seeded 30% loss with every finishing time checked.
@Suite struct EndpointPairTests {
    @Test func requestAndPiggybackedResponse() throws {
        var pipe = Pipe(a: CoAPEndpoint(seed: 1), b: CoAPEndpoint(seed: 2))
        let h = pipe.a.sendRequest(getMessage("3", "0", "0"), to: pipe.bAddress, confirmable: true, now: .zero)
        pipe.run(until: at(1000))
        let served = pipe.bEvents.compactMap { $0.1.request }
        #expect(served.count == 1)
        #expect(served.first?.message.uriPath == ["3", "0", "0"])
        #expect(served.first?.peer == pipe.aAddress)
        guard case .response(let rh, let m)? = pipe.aEvents.first?.1 else { Issue.record("no response"); return }
        #expect(rh == h)
        #expect(m.type == .acknowledgement && m.code == .content && m.payload == [1] && m.token == h.token)
        #expect(pipe.a.nextDeadline == nil && pipe.b.nextDeadline == nil)
    }

    @Test func deferredSeparateResponseIsAcknowledgedAutomatically() throws {
        var pipe = Pipe(a: CoAPEndpoint(seed: 1), b: CoAPEndpoint(seed: 2))
        pipe.serve = { endpoint, request, now in endpoint.deferResponse(to: request, now: now) }
        let h = pipe.a.sendRequest(getMessage("5", "0", "3"), to: pipe.bAddress, confirmable: true, now: .zero)
        pipe.run(until: at(30_000))
        let pending = pipe.bEvents.compactMap { $0.1.request }
        #expect(pending.count == 1)
        #expect(pipe.aEvents.isEmpty) // acknowledged, still waiting for the response
        let request = try #require(pending.first)
        let disposition = pipe.b.respond(to: request, with: Message(type: .acknowledgement, code: .content, payload: [9]),
                                         now: pipe.now)
        guard case .separate(let handle) = disposition else { Issue.record("not separate"); return }
        pipe.run(until: at(40_000))
        guard case .response(let rh, let m)? = pipe.aEvents.first?.1 else { Issue.record("no response"); return }
        #expect(rh == h && m.type == .confirmable && m.payload == [9])
        #expect(pipe.bEvents.map(\.1).contains(.notificationAcknowledged(handle)))
        #expect(pipe.a.openRequestCount == 0 && pipe.b.outstandingTransmissionCount == 0)
    }

    @Test func observeNotificationsUntilTheClientForgets() throws {
        var pipe = Pipe(a: CoAPEndpoint(seed: 1), b: CoAPEndpoint(seed: 2))
        pipe.serve = { endpoint, request, now in
            var response = Message(type: .acknowledgement, code: .content, payload: [0])
            response.observe = 0
            endpoint.respond(to: request, with: response, now: now)
        }
        var register = getMessage("19", "0", "0")
        register.observe = 0
        let h = pipe.a.sendRequest(register, to: pipe.bAddress, confirmable: true, now: .zero)
        pipe.run(until: at(1000))
        let token = try #require(pipe.bEvents.compactMap { $0.1.request }.first?.message.token)
        #expect(token == h.token)

        var handles: [NotificationHandle] = []
        for n in 1...3 as ClosedRange<UInt32> {
            var notification = Message(type: .nonConfirmable, code: .content, token: token, payload: [UInt8(n)])
            notification.observe = n
            handles.append(pipe.b.sendNotification(notification, to: pipe.aAddress, confirmable: n == 2, now: pipe.now))
            pipe.run(until: pipe.now + 10_000)
        }
        let payloads = pipe.aEvents.compactMap { e -> [UInt8]? in
            if case .response(h, let m) = e.1 { m.payload } else { nil }
        }
        #expect(payloads == [[0], [1], [2], [3]])
        #expect(pipe.bEvents.map(\.1).contains(.notificationAcknowledged(handles[1])))

        pipe.a.cancel(h)
        var last = Message(type: .nonConfirmable, code: .content, token: token, payload: [4])
        last.observe = 4
        let rejected = pipe.b.sendNotification(last, to: pipe.aAddress, confirmable: true, now: pipe.now)
        pipe.run(until: pipe.now + 10_000)
        #expect(pipe.bEvents.map(\.1).contains(.notificationReset(rejected)))
    }

    /// The application note's rule with its defaults (2 s, 5 retransmissions) over a link that
    /// loses 30% of datagrams each way. Every exchange either completes at one of the times a
    /// transmission goes out — 0, 2, 6, 14, 30, 62 s after the first, since the pipe has no
    /// delay — or fails with a timeout exactly 126 s after the first. The server sees each
    /// request once however many copies arrive.
    @Test func moduleScheduleUnderSeededLoss() {
        var pipe = Pipe(a: CoAPEndpoint(seed: 11), b: CoAPEndpoint(seed: 12))
        pipe.loses = { rng in rng.next() % 100 < 30 }
        pipe.random = SplitMix64(seed: 0x7252)
        let allowed: Set<Int64> = [0, 2000, 6000, 14000, 30000, 62000]
        var finishes: [Int64: Int] = [:]
        var timeouts = 0
        var reachedServer = 0
        for i in 0..<400 {
            let start = pipe.now
            var m = getMessage("19", "0", "0")
            m.payload = [UInt8(truncatingIfNeeded: i)]
            let h = pipe.a.sendRequest(m, to: pipe.bAddress, confirmable: true, now: start)
            let servedBefore = pipe.bEvents.count
            pipe.aEvents = []
            pipe.run(until: start + 200_000)
            let outcome = pipe.aEvents.filter {
                switch $0.1 {
                case .response(h, _), .requestFailed(h, _): true
                default: false
                }
            }
            #expect(outcome.count == 1)
            guard let (time, event) = outcome.first else { continue }
            switch event {
            case .response:
                #expect(allowed.contains(time - start), "finished at \(time - start) ms")
                finishes[time - start, default: 0] += 1
            case .requestFailed(_, let failure):
                #expect(failure == .timeout)
                #expect(time - start == 126_000)
                timeouts += 1
            default:
                break
            }
            let requests = pipe.bEvents[servedBefore...].compactMap { $0.1.request }
            #expect(requests.count <= 1)
            reachedServer += requests.count
            // Let the server forget this exchange before the next starts, so runs are independent.
            pipe.run(until: pipe.now + 250_000)
        }
        #expect(finishes.values.reduce(0, +) + timeouts == 400)
        // With 30% loss each way an attempt succeeds with p = 0.49: many retransmit, a few time out.
        #expect(finishes.count >= 5)
        #expect(timeouts >= 1)
        #expect(finishes[0, default: 0] > 150)
        #expect(reachedServer >= finishes.values.reduce(0, +))
    }
}
