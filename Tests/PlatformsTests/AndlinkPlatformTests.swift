import CoAP
import LwM2M
import Runtime
import Testing
@testable import Platforms

@Suite struct AndlinkPlatformTests {
    @Test func explore() {
        let world = PlatformWorld(profile: .andlink, endpoint: andlinkIMEI)
        world.start()
        world.run(until: 10_000)
        let body = Array(#"[{"n":"/19/1/0","vs":"{\"outletStatus\":\"0\",\"setTime\":\"1\",\"firmware\":\"1.0\",\"softVersion\":\"1.0\"}"}]"#.utf8)
        print(body.count)
        world.device.perform { node, now in node.command(now: now) { $0.send(content: EncodedContent(format: .lwm2mJSON, bytes: body), query: ["ep=\(andlinkIMEI)"], now: now).1 } }
        world.run(until: 20_000)
        for l in world.lines { print(l) }
        for (t, m) in world.platformMessages { print("P", t.milliseconds, m) }
        for (t, m) in world.deviceMessages { print("D", t.milliseconds, m) }
        print(world.deviceEvents)
    }
}
