;; Image kernels in WebAssembly SIMD, on the module's own memory (simd-kernel.ts loads them;
;; `npm run build:wasm` turns this file into image-simd.wasm.ts):
;; - `horizontal` and `vertical`: Pillow's BILINEAR resize of RGBA pixels (resample-simd.ts drives
;;   them). Both passes multiply 8-bit values by 16-bit fixed-point weights with
;;   i32x4.dot_i16x8_s: two taps of four channels each per instruction, sums in 32 bits, then
;;   `>> bits`, clamped to 0..255. The sums start at half a step (`1 << (bits - 1)`): the shift
;;   rounds.
;; - `planes`: RGBA pixels → three float32 planes, value × a + b per channel (planes-simd.ts).
;;
;; Resize weights of one output position are laid out as `coeffStride` bytes: the first tap
;; (i32), the number of tap pairs (i32), 8 bytes of padding, then one v128 per pair of taps,
;; [w0 w1] four times as i16 (a missing second tap weighs 0). The horizontal pass takes pairs
;; two at a time, and a last odd one alone.
(module
  (memory (export "memory") 1)

  ;; `rows` rows of RGBA pixels from `src` (`srcStride` bytes apart) → `outWidth` RGBA pixels
  ;; each, written one row after another from `dst`. Reads up to 8 bytes past a row's last tap.
  ;; Four rows at a time, as Pillow-SIMD does: each weight is loaded once for the four, and the
  ;; loop's own work is shared; then the rows left, one at a time.
  (func (export "horizontal")
    (param $src i32) (param $srcStride i32) (param $rows i32)
    (param $coeffs i32) (param $coeffStride i32) (param $outWidth i32)
    (param $dst i32) (param $bits i32)
    (local $y i32) (local $x i32) (local $row i32) (local $c i32) (local $p i32) (local $pairs i32)
    (local $at i32) (local $w i32) (local $out i32) (local $outStride i32) (local $half v128)
    (local $w0 v128) (local $w1 v128) (local $px v128)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local.set $half (i32x4.splat (i32.shl (i32.const 1) (i32.sub (local.get $bits) (i32.const 1)))))
    (local.set $outStride (i32.shl (local.get $outWidth) (i32.const 2)))
    (local.set $row (local.get $src))
    (block $quadsDone
      (loop $quadLoop
        (br_if $quadsDone (i32.gt_u (i32.add (local.get $y) (i32.const 4)) (local.get $rows)))
        (local.set $x (i32.const 0))
        (local.set $c (local.get $coeffs))
        (local.set $out (local.get $dst))
        (block $xDone
          (loop $xLoop
            (br_if $xDone (i32.ge_u (local.get $x) (local.get $outWidth)))
            (local.set $at (i32.add (local.get $row) (i32.shl (i32.load (local.get $c)) (i32.const 2))))
            (local.set $pairs (i32.load offset=4 (local.get $c)))
            (local.set $w (i32.add (local.get $c) (i32.const 16)))
            (local.set $acc0 (local.get $half))
            (local.set $acc1 (local.get $half))
            (local.set $acc2 (local.get $half))
            (local.set $acc3 (local.get $half))
            (local.set $p (i32.const 0))
            (block $pDone
              (loop $pLoop
                (br_if $pDone (i32.gt_u (i32.add (local.get $p) (i32.const 2)) (local.get $pairs)))
                (local.set $w0 (v128.load (local.get $w)))
                (local.set $w1 (v128.load offset=16 (local.get $w)))
                ;; Four pixels of each row, bytes reordered by one shuffle of one vector to
                ;; [r0 r1 g0 g1 b0 b1 a0 a1 | r2 r3 ...], each half widened to i16: two taps of
                ;; each channel side by side, as the weights are.
                (local.set $px (v128.load (local.get $at)))
                (local.set $px (i8x16.shuffle 0 4 1 5 2 6 3 7 8 12 9 13 10 14 11 15 (local.get $px) (local.get $px)))
                (local.set $acc0
                  (i32x4.add
                    (i32x4.add (local.get $acc0) (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_u (local.get $px)) (local.get $w0)))
                    (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_u (local.get $px)) (local.get $w1))))
                (local.set $px (v128.load (i32.add (local.get $at) (local.get $srcStride))))
                (local.set $px (i8x16.shuffle 0 4 1 5 2 6 3 7 8 12 9 13 10 14 11 15 (local.get $px) (local.get $px)))
                (local.set $acc1
                  (i32x4.add
                    (i32x4.add (local.get $acc1) (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_u (local.get $px)) (local.get $w0)))
                    (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_u (local.get $px)) (local.get $w1))))
                (local.set $px (v128.load (i32.add (local.get $at) (i32.shl (local.get $srcStride) (i32.const 1)))))
                (local.set $px (i8x16.shuffle 0 4 1 5 2 6 3 7 8 12 9 13 10 14 11 15 (local.get $px) (local.get $px)))
                (local.set $acc2
                  (i32x4.add
                    (i32x4.add (local.get $acc2) (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_u (local.get $px)) (local.get $w0)))
                    (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_u (local.get $px)) (local.get $w1))))
                (local.set $px (v128.load (i32.add (local.get $at) (i32.mul (local.get $srcStride) (i32.const 3)))))
                (local.set $px (i8x16.shuffle 0 4 1 5 2 6 3 7 8 12 9 13 10 14 11 15 (local.get $px) (local.get $px)))
                (local.set $acc3
                  (i32x4.add
                    (i32x4.add (local.get $acc3) (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_u (local.get $px)) (local.get $w0)))
                    (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_u (local.get $px)) (local.get $w1))))
                (local.set $at (i32.add (local.get $at) (i32.const 16)))
                (local.set $w (i32.add (local.get $w) (i32.const 32)))
                (local.set $p (i32.add (local.get $p) (i32.const 2)))
                (br $pLoop)))
            ;; An odd pair count: the last pair, two pixels of each row.
            (if (i32.lt_u (local.get $p) (local.get $pairs))
              (then
                (local.set $w0 (v128.load (local.get $w)))
                (local.set $px (v128.load64_zero (local.get $at)))
                (local.set $acc0
                  (i32x4.add (local.get $acc0)
                    (i32x4.dot_i16x8_s
                      (i16x8.extend_low_i8x16_u (i8x16.shuffle 0 4 1 5 2 6 3 7 8 12 9 13 10 14 11 15 (local.get $px) (local.get $px)))
                      (local.get $w0))))
                (local.set $px (v128.load64_zero (i32.add (local.get $at) (local.get $srcStride))))
                (local.set $acc1
                  (i32x4.add (local.get $acc1)
                    (i32x4.dot_i16x8_s
                      (i16x8.extend_low_i8x16_u (i8x16.shuffle 0 4 1 5 2 6 3 7 8 12 9 13 10 14 11 15 (local.get $px) (local.get $px)))
                      (local.get $w0))))
                (local.set $px (v128.load64_zero (i32.add (local.get $at) (i32.mul (local.get $srcStride) (i32.const 2)))))
                (local.set $acc2
                  (i32x4.add (local.get $acc2)
                    (i32x4.dot_i16x8_s
                      (i16x8.extend_low_i8x16_u (i8x16.shuffle 0 4 1 5 2 6 3 7 8 12 9 13 10 14 11 15 (local.get $px) (local.get $px)))
                      (local.get $w0))))
                (local.set $px (v128.load64_zero (i32.add (local.get $at) (i32.mul (local.get $srcStride) (i32.const 3)))))
                (local.set $acc3
                  (i32x4.add (local.get $acc3)
                    (i32x4.dot_i16x8_s
                      (i16x8.extend_low_i8x16_u (i8x16.shuffle 0 4 1 5 2 6 3 7 8 12 9 13 10 14 11 15 (local.get $px) (local.get $px)))
                      (local.get $w0))))))
            (v128.store32_lane 0 (local.get $out)
              (i8x16.narrow_i16x8_u
                (local.tee $px (i16x8.narrow_i32x4_s (local.tee $px (i32x4.shr_s (local.get $acc0) (local.get $bits))) (local.get $px)))
                (local.get $px)))
            (v128.store32_lane 0 (i32.add (local.get $out) (local.get $outStride))
              (i8x16.narrow_i16x8_u
                (local.tee $px (i16x8.narrow_i32x4_s (local.tee $px (i32x4.shr_s (local.get $acc1) (local.get $bits))) (local.get $px)))
                (local.get $px)))
            (v128.store32_lane 0 (i32.add (local.get $out) (i32.shl (local.get $outStride) (i32.const 1)))
              (i8x16.narrow_i16x8_u
                (local.tee $px (i16x8.narrow_i32x4_s (local.tee $px (i32x4.shr_s (local.get $acc2) (local.get $bits))) (local.get $px)))
                (local.get $px)))
            (v128.store32_lane 0 (i32.add (local.get $out) (i32.mul (local.get $outStride) (i32.const 3)))
              (i8x16.narrow_i16x8_u
                (local.tee $px (i16x8.narrow_i32x4_s (local.tee $px (i32x4.shr_s (local.get $acc3) (local.get $bits))) (local.get $px)))
                (local.get $px)))
            (local.set $out (i32.add (local.get $out) (i32.const 4)))
            (local.set $c (i32.add (local.get $c) (local.get $coeffStride)))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $xLoop)))
        (local.set $row (i32.add (local.get $row) (i32.shl (local.get $srcStride) (i32.const 2))))
        (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $outStride) (i32.const 2))))
        (local.set $y (i32.add (local.get $y) (i32.const 4)))
        (br $quadLoop)))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $y) (local.get $rows)))
        (local.set $x (i32.const 0))
        (local.set $c (local.get $coeffs))
        (block $xDone
          (loop $xLoop
            (br_if $xDone (i32.ge_u (local.get $x) (local.get $outWidth)))
            (local.set $at (i32.add (local.get $row) (i32.shl (i32.load (local.get $c)) (i32.const 2))))
            (local.set $pairs (i32.load offset=4 (local.get $c)))
            (local.set $w (i32.add (local.get $c) (i32.const 16)))
            (local.set $acc0 (local.get $half))
            (local.set $p (i32.const 0))
            (block $pDone
              (loop $pLoop
                (br_if $pDone (i32.gt_u (i32.add (local.get $p) (i32.const 2)) (local.get $pairs)))
                (local.set $px (v128.load (local.get $at)))
                (local.set $px (i8x16.shuffle 0 4 1 5 2 6 3 7 8 12 9 13 10 14 11 15 (local.get $px) (local.get $px)))
                (local.set $acc0
                  (i32x4.add
                    (i32x4.add (local.get $acc0)
                      (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_u (local.get $px)) (v128.load (local.get $w))))
                    (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_u (local.get $px)) (v128.load offset=16 (local.get $w)))))
                (local.set $at (i32.add (local.get $at) (i32.const 16)))
                (local.set $w (i32.add (local.get $w) (i32.const 32)))
                (local.set $p (i32.add (local.get $p) (i32.const 2)))
                (br $pLoop)))
            (if (i32.lt_u (local.get $p) (local.get $pairs))
              (then
                (local.set $w0 (v128.load (local.get $w)))
                (local.set $px (v128.load64_zero (local.get $at)))
                (local.set $acc0
                  (i32x4.add (local.get $acc0)
                    (i32x4.dot_i16x8_s
                      (i16x8.extend_low_i8x16_u (i8x16.shuffle 0 4 1 5 2 6 3 7 8 12 9 13 10 14 11 15 (local.get $px) (local.get $px)))
                      (local.get $w0))))))
            (v128.store32_lane 0 (local.get $dst)
              (i8x16.narrow_i16x8_u
                (local.tee $px (i16x8.narrow_i32x4_s (local.tee $px (i32x4.shr_s (local.get $acc0) (local.get $bits))) (local.get $px)))
                (local.get $px)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
            (local.set $c (i32.add (local.get $c) (local.get $coeffStride)))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $xLoop)))
        (local.set $row (i32.add (local.get $row) (local.get $srcStride)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rowLoop))))

  ;; `height` output rows of `stride` bytes, each from rows of `temp` (`stride` bytes apart)
  ;; taken two at a time, 8 bytes per step. Reads one row past a row's last tap, and writes
  ;; up to 7 bytes past each row's end (the next row, written after it, or padding).
  (func (export "vertical")
    (param $temp i32) (param $stride i32) (param $height i32)
    (param $coeffs i32) (param $coeffStride i32) (param $dst i32) (param $bits i32)
    (local $y i32) (local $x i32) (local $c i32) (local $p i32) (local $pairs i32) (local $base i32)
    (local $at i32) (local $w i32) (local $weights v128) (local $mix v128) (local $lo v128) (local $hi v128)
    (local $half v128)
    (local.set $half (i32x4.splat (i32.shl (i32.const 1) (i32.sub (local.get $bits) (i32.const 1)))))
    (local.set $c (local.get $coeffs))
    (block $yDone
      (loop $yLoop
        (br_if $yDone (i32.ge_u (local.get $y) (local.get $height)))
        (local.set $base (i32.add (local.get $temp) (i32.mul (i32.load (local.get $c)) (local.get $stride))))
        (local.set $pairs (i32.load offset=4 (local.get $c)))
        (local.set $x (i32.const 0))
        (block $xDone
          (loop $xLoop
            (br_if $xDone (i32.ge_u (local.get $x) (local.get $stride)))
            (local.set $lo (local.get $half))
            (local.set $hi (local.get $half))
            (local.set $at (i32.add (local.get $base) (local.get $x)))
            (local.set $w (i32.add (local.get $c) (i32.const 16)))
            (local.set $p (i32.const 0))
            (block $pDone
              (loop $pLoop
                (br_if $pDone (i32.ge_u (local.get $p) (local.get $pairs)))
                ;; 8 bytes of two rows interleaved: [a0 b0 a1 b1 ...], as i16 in two halves.
                (local.set $weights (v128.load (local.get $w)))
                (local.set $mix
                  (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23
                    (v128.load64_zero (local.get $at))
                    (v128.load64_zero (i32.add (local.get $at) (local.get $stride)))))
                (local.set $lo
                  (i32x4.add (local.get $lo) (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_u (local.get $mix)) (local.get $weights))))
                (local.set $hi
                  (i32x4.add (local.get $hi) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_u (local.get $mix)) (local.get $weights))))
                (local.set $at (i32.add (local.get $at) (i32.shl (local.get $stride) (i32.const 1))))
                (local.set $w (i32.add (local.get $w) (i32.const 16)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $pLoop)))
            (local.set $lo
              (i16x8.narrow_i32x4_s
                (i32x4.shr_s (local.get $lo) (local.get $bits))
                (i32x4.shr_s (local.get $hi) (local.get $bits))))
            (v128.store64_lane 0 (local.get $dst) (i8x16.narrow_i16x8_u (local.get $lo) (local.get $lo)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
            (local.set $x (i32.add (local.get $x) (i32.const 8)))
            (br $xLoop)))
        ;; The next row starts right after this one (the last step may have run past its end).
        (local.set $dst (i32.sub (local.get $dst) (i32.sub (local.get $x) (local.get $stride))))
        (local.set $c (i32.add (local.get $c) (local.get $coeffStride)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $yLoop))))

  ;; `count` RGBA pixels from `src` → three planes of float32, channel c's value × a_c + b_c
  ;; from `dst_c` (alpha dropped): what a model's NCHW input wants. Four pixels a step, each
  ;; channel picked out of the four as i32 lanes by a shift and a mask; the last few one by one.
  (func (export "planes")
    (param $src i32) (param $count i32) (param $dst0 i32) (param $dst1 i32) (param $dst2 i32)
    (param $a0 f32) (param $a1 f32) (param $a2 f32) (param $b0 f32) (param $b1 f32) (param $b2 f32)
    (local $i i32) (local $at i32) (local $out i32) (local $px v128) (local $byte v128)
    (local $va0 v128) (local $va1 v128) (local $va2 v128) (local $vb0 v128) (local $vb1 v128) (local $vb2 v128)
    (local.set $byte (i32x4.splat (i32.const 255)))
    (local.set $va0 (f32x4.splat (local.get $a0)))
    (local.set $va1 (f32x4.splat (local.get $a1)))
    (local.set $va2 (f32x4.splat (local.get $a2)))
    (local.set $vb0 (f32x4.splat (local.get $b0)))
    (local.set $vb1 (f32x4.splat (local.get $b1)))
    (local.set $vb2 (f32x4.splat (local.get $b2)))
    (block $vectorsDone
      (loop $vectorLoop
        (br_if $vectorsDone (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $count)))
        (local.set $px (v128.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $out (i32.shl (local.get $i) (i32.const 2)))
        (v128.store (i32.add (local.get $dst0) (local.get $out))
          (f32x4.add (f32x4.mul (f32x4.convert_i32x4_s (v128.and (local.get $px) (local.get $byte))) (local.get $va0)) (local.get $vb0)))
        (v128.store (i32.add (local.get $dst1) (local.get $out))
          (f32x4.add
            (f32x4.mul (f32x4.convert_i32x4_s (v128.and (i32x4.shr_u (local.get $px) (i32.const 8)) (local.get $byte))) (local.get $va1))
            (local.get $vb1)))
        (v128.store (i32.add (local.get $dst2) (local.get $out))
          (f32x4.add
            (f32x4.mul (f32x4.convert_i32x4_s (v128.and (i32x4.shr_u (local.get $px) (i32.const 16)) (local.get $byte))) (local.get $va2))
            (local.get $vb2)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $vectorLoop)))
    (block $pixelsDone
      (loop $pixelLoop
        (br_if $pixelsDone (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $at (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2))))
        (local.set $out (i32.shl (local.get $i) (i32.const 2)))
        (f32.store (i32.add (local.get $dst0) (local.get $out))
          (f32.add (f32.mul (f32.convert_i32_u (i32.load8_u (local.get $at))) (local.get $a0)) (local.get $b0)))
        (f32.store (i32.add (local.get $dst1) (local.get $out))
          (f32.add (f32.mul (f32.convert_i32_u (i32.load8_u offset=1 (local.get $at))) (local.get $a1)) (local.get $b1)))
        (f32.store (i32.add (local.get $dst2) (local.get $out))
          (f32.add (f32.mul (f32.convert_i32_u (i32.load8_u offset=2 (local.get $at))) (local.get $a2)) (local.get $b2)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $pixelLoop))))
)
