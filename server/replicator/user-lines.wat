;; The user lines of a `STATUS <mask>` answer, parsed in WebAssembly: the same rules as
;; readUserLineTo in answers.ts (the reference, kept for the event loop and the HTTP API),
;; about four times faster than V8 runs them, which is what a million users' first page waits
;; for. Compiled from this text when the parsing thread starts (user-lines.ts).
;;
;; `parse` reads the lines of in[0, len), each ended by an LF (the last one may end at len),
;; and writes one row per non-empty line into the arrays the caller placed in memory:
;;   names      the usernames' bytes, still escaped, one after another
;;   nameEnds   u32: where row k's username ends in names (it starts where k-1's ends)
;;   lineStarts u32: where row k's line starts in the input
;;   priority   u8: 0 none, 1 low, 2 high, 3 sync
;;   flags      u8: 1 the line does not parse (its other fields mean nothing, its name is
;;              empty), 2 the username holds an escape (0x01), 4 failed
;;   fast, full, success, next   f64: the times; next is -1 where the line has no 7th field
;; It returns the number of rows.
(module
  (memory (export "memory") 1)

  ;; The number that `digits` read last.
  (global $number (mut f64) (f64.const 0))

  ;; Reads the ASCII digits from $at into $number; returns where they end, or -1 when there
  ;; are none or more than 15 (more could not be held exactly; the reference refuses them too).
  (func $digits (param $at i32) (param $end i32) (result i32)
    (local $start i32) (local $value i64) (local $digit i32)
    (local.set $start (local.get $at))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $digit (i32.sub (i32.load8_u (local.get $at)) (i32.const 48)))
        (br_if $done (i32.gt_u (local.get $digit) (i32.const 9)))
        (local.set $value (i64.add (i64.mul (local.get $value) (i64.const 10))
                                   (i64.extend_i32_u (local.get $digit))))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $next)))
    (global.set $number (f64.convert_i64_u (local.get $value)))
    (if (i32.or (i32.eq (local.get $at) (local.get $start))
                (i32.gt_u (i32.sub (local.get $at) (local.get $start)) (i32.const 15)))
      (then (return (i32.const -1))))
    (local.get $at))

  ;; The priority named by the bytes [$start, $end): 0-3, or -1 for none of the four names.
  (func $priority (param $start i32) (param $end i32) (result i32)
    (local $word i32)
    (if (i32.eq (i32.sub (local.get $end) (local.get $start)) (i32.const 3))
      (then
        (return (select (i32.const 1) (i32.const -1)
          (i32.and (i32.eq (i32.load16_u (local.get $start)) (i32.const 0x6f6c))      ;; "lo"
                   (i32.eq (i32.load8_u offset=2 (local.get $start)) (i32.const 0x77))))))) ;; "w"
    (if (i32.ne (i32.sub (local.get $end) (local.get $start)) (i32.const 4))
      (then (return (i32.const -1))))
    (local.set $word (i32.load (local.get $start)))
    (if (i32.eq (local.get $word) (i32.const 0x656e6f6e)) (then (return (i32.const 0)))) ;; none
    (if (i32.eq (local.get $word) (i32.const 0x68676968)) (then (return (i32.const 2)))) ;; high
    (if (i32.eq (local.get $word) (i32.const 0x636e7973)) (then (return (i32.const 3)))) ;; sync
    (i32.const -1))

  ;; Whether the byte at $at is a TAB inside the input.
  (func $tabAt (param $at i32) (param $end i32) (result i32)
    (i32.and (i32.lt_u (local.get $at) (local.get $end))
             (i32.eq (i32.load8_u (local.get $at)) (i32.const 9))))

  (func (export "parse")
    (param $in i32) (param $len i32) (param $names i32) (param $nameEnds i32)
    (param $lineStarts i32) (param $priorities i32) (param $flags i32) (param $fast i32)
    (param $full i32) (param $success i32) (param $next i32) (result i32)
    (local $at i32) (local $end i32) (local $rows i32) (local $name i32) (local $nameStart i32)
    (local $lineStart i32) (local $byte i32) (local $flag i32) (local $fieldStart i32)
    (local $priority i32) (local $time i32)
    (local.set $at (local.get $in))
    (local.set $end (i32.add (local.get $in) (local.get $len)))
    (local.set $name (local.get $names))
    (block $lines
      (loop $line
        (br_if $lines (i32.ge_u (local.get $at) (local.get $end)))
        ;; An empty line is no user (the reference skips it too).
        (if (i32.eq (i32.load8_u (local.get $at)) (i32.const 10))
          (then (local.set $at (i32.add (local.get $at) (i32.const 1))) (br $line)))

        (local.set $lineStart (local.get $at))
        (local.set $nameStart (local.get $name))
        (local.set $flag (i32.const 0))
        (local.set $time (i32.shl (local.get $rows) (i32.const 3)))
        (block $bad
          ;; The username, copied as it is scanned, up to its TAB.
          (block $nameDone
            (loop $nameByte
              (br_if $bad (i32.ge_u (local.get $at) (local.get $end)))
              (local.set $byte (i32.load8_u (local.get $at)))
              (br_if $nameDone (i32.eq (local.get $byte) (i32.const 9)))
              (br_if $bad (i32.eq (local.get $byte) (i32.const 10)))
              (if (i32.eq (local.get $byte) (i32.const 1))
                (then (local.set $flag (i32.const 2))))
              (i32.store8 (local.get $name) (local.get $byte))
              (local.set $name (i32.add (local.get $name) (i32.const 1)))
              (local.set $at (i32.add (local.get $at) (i32.const 1)))
              (br $nameByte)))

          ;; The priority, up to the next TAB or the line's end.
          (local.set $at (i32.add (local.get $at) (i32.const 1)))
          (local.set $fieldStart (local.get $at))
          (block $priorityDone
            (loop $priorityByte
              (br_if $priorityDone (i32.ge_u (local.get $at) (local.get $end)))
              (local.set $byte (i32.load8_u (local.get $at)))
              (br_if $priorityDone (i32.or (i32.eq (local.get $byte) (i32.const 9))
                                           (i32.eq (local.get $byte) (i32.const 10))))
              (local.set $at (i32.add (local.get $at) (i32.const 1)))
              (br $priorityByte)))
          (local.set $priority (call $priority (local.get $fieldStart) (local.get $at)))
          (br_if $bad (i32.lt_s (local.get $priority) (i32.const 0)))

          ;; Last fast sync, last full sync.
          (br_if $bad (i32.eqz (call $tabAt (local.get $at) (local.get $end))))
          (local.set $at (call $digits (i32.add (local.get $at) (i32.const 1)) (local.get $end)))
          (br_if $bad (i32.lt_s (local.get $at) (i32.const 0)))
          (f64.store (i32.add (local.get $fast) (local.get $time)) (global.get $number))
          (br_if $bad (i32.eqz (call $tabAt (local.get $at) (local.get $end))))
          (local.set $at (call $digits (i32.add (local.get $at) (i32.const 1)) (local.get $end)))
          (br_if $bad (i32.lt_s (local.get $at) (i32.const 0)))
          (f64.store (i32.add (local.get $full) (local.get $time)) (global.get $number))

          ;; Failed: one byte, 0 or 1, and a TAB after it.
          (br_if $bad (i32.eqz (call $tabAt (local.get $at) (local.get $end))))
          (local.set $at (i32.add (local.get $at) (i32.const 1)))
          (br_if $bad (i32.ge_u (local.get $at) (local.get $end)))
          (local.set $byte (i32.sub (i32.load8_u (local.get $at)) (i32.const 48)))
          (br_if $bad (i32.gt_u (local.get $byte) (i32.const 1)))
          (if (local.get $byte) (then (local.set $flag (i32.or (local.get $flag) (i32.const 4)))))
          (local.set $at (i32.add (local.get $at) (i32.const 1)))

          ;; Last successful sync, then the line's end, or a TAB and the seconds to the next
          ;; sync (Dovecot 2.3.20 and later) and the line's end.
          (br_if $bad (i32.eqz (call $tabAt (local.get $at) (local.get $end))))
          (local.set $at (call $digits (i32.add (local.get $at) (i32.const 1)) (local.get $end)))
          (br_if $bad (i32.lt_s (local.get $at) (i32.const 0)))
          (f64.store (i32.add (local.get $success) (local.get $time)) (global.get $number))
          (f64.store (i32.add (local.get $next) (local.get $time)) (f64.const -1))
          (if (call $tabAt (local.get $at) (local.get $end))
            (then
              (local.set $at
                (call $digits (i32.add (local.get $at) (i32.const 1)) (local.get $end)))
              (br_if $bad (i32.lt_s (local.get $at) (i32.const 0)))
              (f64.store (i32.add (local.get $next) (local.get $time)) (global.get $number))))
          (if (i32.lt_u (local.get $at) (local.get $end))
            (then (br_if $bad (i32.ne (i32.load8_u (local.get $at)) (i32.const 10)))))

          (i32.store8 (i32.add (local.get $priorities) (local.get $rows)) (local.get $priority))
          (call $endRow (local.get $rows) (local.get $flag) (local.get $name)
            (local.get $names) (local.get $nameEnds) (local.get $lineStart)
            (local.get $in) (local.get $lineStarts) (local.get $flags))
          (local.set $rows (i32.add (local.get $rows) (i32.const 1)))
          (local.set $at (i32.add (local.get $at) (i32.const 1)))
          (br $line))

        ;; A line that does not parse: a row flagged so, without a name, up to its LF (sought
        ;; from the line's start: a failed `digits` left -1 in $at).
        (local.set $at (local.get $lineStart))
        (block $lineEnd
          (loop $skip
            (br_if $lineEnd (i32.ge_u (local.get $at) (local.get $end)))
            (br_if $lineEnd (i32.eq (i32.load8_u (local.get $at)) (i32.const 10)))
            (local.set $at (i32.add (local.get $at) (i32.const 1)))
            (br $skip)))
        (local.set $name (local.get $nameStart))
        (call $endRow (local.get $rows) (i32.const 1) (local.get $name)
          (local.get $names) (local.get $nameEnds) (local.get $lineStart)
          (local.get $in) (local.get $lineStarts) (local.get $flags))
        (local.set $rows (i32.add (local.get $rows) (i32.const 1)))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $line)))
    (local.get $rows))

  ;; Writes what every row has: its flags, where its name ends, where its line starts.
  (func $endRow
    (param $row i32) (param $flag i32) (param $name i32) (param $names i32)
    (param $nameEnds i32) (param $lineStart i32) (param $in i32) (param $lineStarts i32)
    (param $flags i32)
    (i32.store8 (i32.add (local.get $flags) (local.get $row)) (local.get $flag))
    (i32.store (i32.add (local.get $nameEnds) (i32.shl (local.get $row) (i32.const 2)))
               (i32.sub (local.get $name) (local.get $names)))
    (i32.store (i32.add (local.get $lineStarts) (i32.shl (local.get $row) (i32.const 2)))
               (i32.sub (local.get $lineStart) (local.get $in)))))
