"""Teams cover an area (a GeoJSON polygon); plan changes record who made them: a member of staff
or the person, from their own account."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('care', '0003_plan'),
    ]

    operations = [
        migrations.AddField(
            model_name='goal',
            name='added_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='care.teammember'),
        ),
        migrations.AddField(
            model_name='goal',
            name='is_added_by_person',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='goalprogress',
            name='is_recorded_by_person',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='plan',
            name='is_what_matters_by_person',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='plan',
            name='what_matters_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='care.teammember'),
        ),
        migrations.AddField(
            model_name='step',
            name='added_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='care.teammember'),
        ),
        migrations.AddField(
            model_name='step',
            name='done_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='care.teammember'),
        ),
        migrations.AddField(
            model_name='step',
            name='is_added_by_person',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='step',
            name='is_done_by_person',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='team',
            name='area',
            field=models.JSONField(blank=True, help_text="Optional. A GeoJSON Polygon or MultiPolygon, with points as [longitude, latitude]. Asks from postcodes inside it come to this team when no team's districts match.", null=True, verbose_name='area'),
        ),
        migrations.AddField(
            model_name='team',
            name='area_max_latitude',
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='team',
            name='area_max_longitude',
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='team',
            name='area_min_latitude',
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='team',
            name='area_min_longitude',
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
        migrations.AddConstraint(
            model_name='goal',
            constraint=models.CheckConstraint(condition=models.Q(('added_by__isnull', True), ('is_added_by_person', False), _connector='OR'), name='care_goal_added_by_or_person'),
        ),
        migrations.AddConstraint(
            model_name='goalprogress',
            constraint=models.CheckConstraint(condition=models.Q(('recorded_by__isnull', True), ('is_recorded_by_person', False), _connector='OR'), name='care_goalprogress_recorded_by_or_person'),
        ),
        migrations.AddConstraint(
            model_name='plan',
            constraint=models.CheckConstraint(condition=models.Q(('what_matters_by__isnull', True), ('is_what_matters_by_person', False), _connector='OR'), name='care_plan_what_matters_by_or_person'),
        ),
        migrations.AddConstraint(
            model_name='step',
            constraint=models.CheckConstraint(condition=models.Q(('added_by__isnull', True), ('is_added_by_person', False), _connector='OR'), name='care_step_added_by_or_person'),
        ),
        migrations.AddConstraint(
            model_name='step',
            constraint=models.CheckConstraint(condition=models.Q(('done_by__isnull', True), ('is_done_by_person', False), _connector='OR'), name='care_step_done_by_or_person'),
        ),
    ]
