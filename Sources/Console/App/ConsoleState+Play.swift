import CoAP

/// The console's `:` lines and walkthroughs (see ``PlatformPlay`` and ``Walkthrough``).
extension ConsoleState {
    /// Starts following a walkthrough: its title in the log and its first line in the input.
    public mutating func startWalkthrough(_ walkthrough: Walkthrough, now: Instant) {
        self.walkthrough = walkthrough
        offeredStep = nil
        model.note("walkthrough: section \(walkthrough.section.noteSection), \(walkthrough.section.title), "
                   + "\(walkthrough.steps.count) steps. Enter sends the line offered; edit it first if you like; F3 offers it again", at: now)
        offerStep()
    }

    mutating func platformLine(_ play: PlatformPlay, now: Instant) -> [Action] {
        guard playsPlatform else {
            model.note(": lines play the embedded platform, so they are only for the emulator backend (this console is on a serial port)", at: now)
            return []
        }
        return [.platform(play)]
    }

    mutating func walkthroughSent(_ line: String, now: Instant) {
        guard var w = walkthrough else { return }
        w.sent(line)
        walkthrough = w
        report(w, now: now)
    }

    /// Feeds the module's lines logged since `start` (echo removed, notes excluded) to the walkthrough.
    mutating func followWalkthrough(logEntriesFrom start: Int, now: Instant) {
        guard var w = walkthrough else { return }
        let log = model.log
        let firstHeld = log.appendedCount - log.count
        for i in max(start, firstHeld)..<log.appendedCount {
            let entry = log[i - firstHeld]
            guard entry.kind != .command, entry.kind != .note else { continue }
            w.received(entry.text)
        }
        walkthrough = w
        report(w, now: now)
    }

    private mutating func report(_ w: Walkthrough, now: Instant) {
        var w = w
        if let problem = w.takeNewProblem() {
            model.note("walkthrough: " + problem, at: now)
            offeredStep = nil   // offer the line again
        }
        if offeredStep != w.index, w.phase == .finished {
            model.note("walkthrough: " + w.statusText, at: now)
            offeredStep = w.index
        }
        walkthrough = w
        offerStep()
    }

    private mutating func offerStep() {
        guard let w = walkthrough, w.phase == .ready, offeredStep != w.index, let line = w.suggestedLine else { return }
        offeredStep = w.index
        // Never over what the person is typing; F3 offers it then.
        if editor.isEmpty { editor.setText(line) }
    }
}
