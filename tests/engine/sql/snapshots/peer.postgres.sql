WITH "inputs" AS (
  SELECT
    "id",
    "unit",
    "task",
    CAST("initiatives" AS DECIMAL) AS "initiatives",
    CAST("training" AS DECIMAL) AS "training"
  FROM "person"
), "step_1_initiative_points__1" AS (
  SELECT
    *,
    25 * "initiatives" AS "initiative_points__1",
    CASE WHEN "task" = 3 THEN 100 WHEN "task" = 2 THEN 75 WHEN "task" = 1 THEN 40 ELSE 0 END AS "task_points__1",
    25 * "training" AS "training_points__1",
    15 * COUNT(*) OVER (PARTITION BY "unit") AS "peer__1",
    "task" >= 2 AS "qualified__peer"
  FROM "inputs"
), "step_2_initiative_points" AS (
  SELECT
    *,
    CAST(CASE
      WHEN "initiative_points__1" < 0
      THEN 0
      WHEN "initiative_points__1" > 100
      THEN 100
      ELSE "initiative_points__1"
    END AS DECIMAL) AS "initiative_points",
    CAST(CASE
      WHEN "task_points__1" < 0
      THEN 0
      WHEN "task_points__1" > 100
      THEN 100
      ELSE "task_points__1"
    END AS DECIMAL) AS "task_points",
    CAST(CASE
      WHEN "training_points__1" < 0
      THEN 0
      WHEN "training_points__1" > 1000000000
      THEN 1000000000
      ELSE "training_points__1"
    END AS DECIMAL) AS "training_points",
    CASE
      WHEN "peer__1" < 0
      THEN -(
        DIV((
          -(
            "peer__1"
          ) + 99
        ), 100)
      )
      ELSE DIV("peer__1", 100)
    END AS "peer__2"
  FROM "step_1_initiative_points__1"
), "step_3_score__1" AS (
  SELECT
    *,
    (
      (
        5 * "task_points"
      ) * 10000000
    ) + (
      (
        3 * "initiative_points"
      ) * 10000000
    ) + (
      2 * "training_points"
    ) AS "score__1",
    CASE WHEN "peer__2" IS NULL OR "peer__2" < 0 THEN 0 ELSE "peer__2" END AS "quota__peer"
  FROM "step_2_initiative_points"
), "step_4_score" AS (
  SELECT
    *,
    CAST(CASE
      WHEN "score__1" < 0
      THEN -(
        DIV((
          ABS("score__1") + 500000
        ), 1000000)
      )
      ELSE DIV((
        ABS("score__1") + 500000
      ), 1000000)
    END AS DECIMAL) AS "score"
  FROM "step_3_score__1"
), "step_5_place__peer" AS (
  SELECT
    *,
    CASE
      WHEN "qualified__peer"
      THEN ROW_NUMBER() OVER (
        PARTITION BY "unit", "qualified__peer"
        ORDER BY "score" DESC NULLS LAST, "id" COLLATE "C"
      )
    END AS "place__peer"
  FROM "step_4_score"
), "step_6_peer" AS (
  SELECT
    *,
    COALESCE("qualified__peer" AND (
      "place__peer" <= "quota__peer"
    ), FALSE) AS "peer"
  FROM "step_5_place__peer"
)
SELECT
  "id",
  "unit",
  "task",
  "initiatives",
  "training",
  "initiative_points",
  "task_points",
  "training_points",
  "score",
  "qualified__peer",
  "place__peer",
  "quota__peer",
  "peer"
FROM "step_6_peer";
