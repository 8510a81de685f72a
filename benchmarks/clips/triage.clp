; The triage workload of benchmarks/packs/triage.rules written as CLIPS rules, for
; benchmarks/engines.py. Input facts: one `profile`, a `target` per target specialty, a
; `letter` per letter. Output facts: `tier`, `diagnosis`, `advice` (derived) and `finding`.
; A missing profile value is nil.
;
; Python asserts through `load-profile` and reads through `results` (one call each), and
; neither returns a fact: a fact that ever reached Python as a clipspy object is never
; freed once retracted (CLIPS 6.4 via clipspy 1.0), so memory and the time of every
; (reset) grew with each profile (measured: from 0.2 ms to 1 ms per profile over 4,000
; profiles).

(deftemplate profile (slot score (default nil)) (slot attempts (default nil))
  (slot interviews (default nil)))
(deftemplate target (slot specialty))
(deftemplate letter (slot id) (slot specialty) (slot us_based))

(deftemplate tier (slot component) (slot level))
(deftemplate diagnosis (slot code))
(deftemplate advice (slot topic))
(deftemplate finding (slot rule) (slot message))

; ---- table step2, hit first: each row excludes the rows above it
(defrule step2-row1
  (profile (attempts ?a&~nil&:(>= ?a 2)))
  =>
  (assert (tier (component step2) (level concerning))))

(defrule step2-row2
  (profile (attempts ?a&:(or (eq ?a nil) (< ?a 2))) (score ?s&~nil&:(<= ?s 224)))
  =>
  (assert (tier (component step2) (level concerning))))

(defrule step2-row3
  (profile (attempts ?a&:(or (eq ?a nil) (< ?a 2))) (score ?s&~nil&:(>= ?s 240)))
  =>
  (assert (tier (component step2) (level competitive))))

(defrule step2-row4
  (profile (attempts ?a&:(or (eq ?a nil) (< ?a 2))) (score ?s&~nil&:(<= 225 ?s 239)))
  =>
  (assert (tier (component step2) (level borderline))))

; ---- table interviews, hit first (the rows do not overlap)
(defrule interviews-row1
  (profile (interviews ?i&~nil&:(<= ?i 2)))
  =>
  (assert (diagnosis (code structural))))

(defrule interviews-row2
  (profile (interviews ?i&~nil&:(<= 3 ?i 7)))
  =>
  (assert (diagnosis (code interview_or_fit))))

(defrule interviews-row3
  (profile (interviews ?i&~nil&:(>= ?i 8)))
  =>
  (assert (diagnosis (code red_flag))))

; ---- recommendations chained on derived facts
(defrule weak_step2
  (tier (component step2) (level ?l&borderline|concerning))
  =>
  (assert (advice (topic step3)))
  (assert (finding (rule weak_step2) (message (str-cat "Step 2 CK is " ?l)))))

(defrule step3_plan
  (advice (topic step3))
  =>
  (assert (finding (rule step3_plan) (message "Schedule Step 3 between T-7 and T-5"))))

(defrule structural
  (diagnosis (code structural))
  =>
  (assert (finding (rule structural) (message "Few interviews: fix the file before the next cycle"))))

; ---- the letter / target-specialty join
(defrule matching_letter
  (target (specialty ?s))
  (letter (id ?id) (specialty ?s) (us_based TRUE))
  =>
  (assert (finding (rule matching_letter) (message (str-cat "Use the letter " ?id " for " ?s)))))

(defrule no_us_letter
  (not (letter (us_based TRUE)))
  =>
  (assert (finding (rule no_us_letter) (message "No US letter"))))

; ---- the interface used by benchmarks/engines.py
; ?letters is flat: id specialty us_based, id specialty us_based, ...
(deffunction load-profile (?score ?attempts ?interviews ?targets ?letters)
  (assert (profile (score ?score) (attempts ?attempts) (interviews ?interviews)))
  (progn$ (?s ?targets) (assert (target (specialty ?s))))
  (loop-for-count (?i 0 (- (div (length$ ?letters) 3) 1))
    (bind ?at (* 3 ?i))
    (assert (letter (id (nth$ (+ ?at 1) ?letters)) (specialty (nth$ (+ ?at 2) ?letters))
                    (us_based (nth$ (+ ?at 3) ?letters)))))
  TRUE)

; flat: tier component level, diagnosis code, advice topic, finding rule message, ...
(deffunction results ()
  (bind ?out (create$))
  (do-for-all-facts ((?f tier)) TRUE (bind ?out (create$ ?out tier ?f:component ?f:level)))
  (do-for-all-facts ((?f diagnosis)) TRUE (bind ?out (create$ ?out diagnosis ?f:code)))
  (do-for-all-facts ((?f advice)) TRUE (bind ?out (create$ ?out advice ?f:topic)))
  (do-for-all-facts ((?f finding)) TRUE (bind ?out (create$ ?out finding ?f:rule ?f:message)))
  ?out)
